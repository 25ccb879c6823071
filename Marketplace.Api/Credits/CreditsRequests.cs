using System.ComponentModel.DataAnnotations;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Http;

namespace IoNet.Marketplace.Credits;

public sealed record CreateCreditQuoteRequest
{
    /// <summary>IO to burn, in base units (8 decimals: 100000000 = 1 IO).</summary>
    [Required]
    public ulong? IoAmount { get; init; }
}

/// <summary>The body of a Solana Pay transaction request's POST: the wallet that will sign.</summary>
public sealed record TransactionRequestBody
{
    [Required, SolanaAddress]
    public string? Account { get; init; }
}

/// <summary>A Solana Pay transaction request's GET answer.</summary>
public sealed record TransactionRequestLabel(string Label, string Icon);

/// <summary>A Solana Pay transaction request's POST answer: the transaction (base64, unsigned) for the wallet to sign and send.</summary>
public sealed record TransactionRequestAnswer(string Transaction, string Message);

/// <summary>The desk's current IO/USD rate and how its quotes work.</summary>
public sealed record CreditRateView(ulong RateMicroUsd, byte IoDecimals, byte IosdDecimals, int QuoteLifetimeSeconds);

/// <summary>
/// A quote: burn exactly <see cref="IoAmount"/> IO base units naming this quote (memo <see cref="Memo"/>) before
/// <see cref="ExpiresAt"/> (the burn's block time) and receive exactly <see cref="IosdAmount"/> IOSD base units.
/// </summary>
public sealed record CreditQuoteView(
    Guid Id, string Buyer, ulong IoAmount, ulong RateMicroUsd, ulong IosdAmount, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    string Memo, string TransactionRequest, string SolanaPayUrl, string? UsedBy);

/// <summary>Where a decided purchase's mint stands: NotMinted (refused), Pending, Sent, Landed (waiting for the indexer), Done.</summary>
public enum MintStatus
{
    NotMinted,
    Pending,
    Sent,
    Landed,
    Done,
}

/// <summary>One burn the desk decided, and its mint.</summary>
public sealed record CreditPurchaseView(
    string BurnSignature, string Buyer, ulong Slot, DateTimeOffset? BurnedAt, ulong IoBurned, ulong MemoRateMicroUsd, Guid? Quote,
    RateSource? RateSource, ulong? RateMicroUsd, ulong? IosdAmount, string? QuoteNotHonoured, string? Refused, DateTimeOffset DecidedAt,
    MintStatus Mint, string? MintSignature, int MintAttempts, string? MintError)
{
    public static CreditPurchaseView Of(CreditPurchase p, OutboxIntent? mint) => new(
        p.BurnSignature, p.Buyer, p.Slot, p.BurnedAt, p.IoBurned, p.MemoRateMicroUsd, p.Quote, p.Source, p.RateMicroUsd, p.IosdAmount,
        p.QuoteNotHonoured, p.Refused, p.DecidedAt,
        mint switch
        {
            null => MintStatus.NotMinted,
            { State: OutboxState.Done } => MintStatus.Done,
            { State: OutboxState.Signed, LandedSlot: not null } => MintStatus.Landed,
            { State: OutboxState.Signed } => MintStatus.Sent,
            _ => MintStatus.Pending,
        },
        mint?.DoneSignature ?? mint?.Signature, mint?.Attempt ?? 0, mint?.LastError);
}

public sealed record CreditPurchasePage(IReadOnlyList<CreditPurchaseView> Items);

public sealed record CreditQuotePage(IReadOnlyList<CreditQuoteView> Items);
