using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;

namespace IoNet.Marketplace.Credits;

/// <summary>A price the desk offered a wallet: IO for IOSD at a rate, until a time; honoured for one burn.</summary>
public sealed record CreditQuote(
    Guid Id, string Buyer, ulong IoAmount, ulong RateMicroUsd, ulong IosdAmount, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? UsedBy);

/// <summary>
/// A credit purchase's burn as the Ledger shows it (CreditsRequested), with what else its transaction burned:
/// <paramref name="PurchasesInTransaction"/> buy burns, <paramref name="IoBurnedInTransaction"/> IO in all, and burns of
/// other mints.
/// </summary>
public sealed record BurnSeen(
    string Signature, ulong Slot, long? BlockTime, string Buyer, ulong IoBurned, ulong MemoRateMicroUsd, Guid? Quote,
    int PurchasesInTransaction, UInt128 IoBurnedInTransaction, int OtherBurnsInTransaction);

public enum RateSource
{
    /// <summary>The quote the burn names was valid when the burn landed.</summary>
    Quote,

    /// <summary>No valid quote: the rate of the desk's rate source when it saw the burn.</summary>
    Current,
}

/// <summary>Mint <see cref="Iosd"/> at <see cref="Rate"/>, or refuse (<see cref="Refused"/>); <see cref="QuoteNotHonoured"/> says why a named quote was not used.</summary>
public sealed record CreditsDecision(RateSource? Source, ulong? Rate, ulong? Iosd, string? QuoteNotHonoured, string? Refused)
{
    public bool Mints => Refused is null;
}

/// <summary>The credits desk's rules (docs/marketplace.md, "Credits"), pure: the caller brings the quote, the current rate and the clock.</summary>
public static class CreditsDecisions
{
    /// <summary>A quote for <paramref name="ioAmount"/> IO base units at <paramref name="rate"/>, or why none can be given.</summary>
    public static (CreditQuote? Quote, string? Error) Quote(Guid id, string buyer, ulong ioAmount, ulong rate, byte ioDecimals, DateTimeOffset now, TimeSpan lifetime)
    {
        if (ioAmount == 0)
            return (null, "Quote at least 1 base unit of IO.");
        ulong iosd;
        try
        {
            iosd = IoNetFlows.CreditsFor(ioAmount, rate, ioDecimals);
        }
        catch (ProgramDecodeException)
        {
            return (null, "That much IO would buy more IOSD than a u64 holds.");
        }
        if (iosd == 0)
            return (null, $"{ioAmount} IO base units are worth less than 1 micro-USD at {rate} micro-USD per IO: quote more.");
        return (new CreditQuote(id, buyer, ioAmount, rate, iosd, now, now + lifetime, null), null);
    }

    /// <summary>
    /// What to mint for <paramref name="burn"/>: at the quote's rate when the burn names a quote of the same buyer,
    /// for the same amount and rate, not expired at the burn's block time and not used by another burn; otherwise at
    /// <paramref name="currentRate"/>. A transaction that burns anything besides this one purchase is refused (a mint
    /// naming it could not match what it burned; an operator decides), and so is a burn worth less than 1 micro-USD.
    /// </summary>
    public static CreditsDecision Decide(BurnSeen burn, CreditQuote? quote, ulong currentRate, byte ioDecimals)
    {
        if (burn.PurchasesInTransaction != 1 || burn.OtherBurnsInTransaction != 0 || burn.IoBurnedInTransaction != burn.IoBurned)
        {
            return new CreditsDecision(null, null, null, null,
                $"the transaction burns more than this purchase ({burn.PurchasesInTransaction} purchases, {burn.IoBurnedInTransaction} IO, "
                + $"{burn.OtherBurnsInTransaction} burns of other mints): not minted automatically");
        }
        var notHonoured = burn.Quote is null ? null : QuoteProblem(burn, quote);
        var (source, rate) = burn.Quote is not null && notHonoured is null ? (RateSource.Quote, quote!.RateMicroUsd) : (RateSource.Current, currentRate);
        ulong iosd;
        try
        {
            iosd = IoNetFlows.CreditsFor(burn.IoBurned, rate, ioDecimals);
        }
        catch (ProgramDecodeException)
        {
            return new CreditsDecision(source, rate, null, notHonoured, "the IOSD for this burn would exceed a u64");
        }
        return iosd == 0
            ? new CreditsDecision(source, rate, 0, notHonoured, $"{burn.IoBurned} IO base units are worth less than 1 micro-USD at {rate} micro-USD per IO")
            : new CreditsDecision(source, rate, iosd, notHonoured, null);
    }

    /// <summary>Why the quote the burn names is not honoured, or null when it is.</summary>
    private static string? QuoteProblem(BurnSeen burn, CreditQuote? quote)
    {
        if (quote is null)
            return $"quote {burn.Quote:N} is unknown";
        if (quote.Buyer != burn.Buyer)
            return "the quote was given to another wallet";
        if (quote.IoAmount != burn.IoBurned)
            return $"the quote is for {quote.IoAmount} IO base units, the burn is {burn.IoBurned}";
        if (quote.RateMicroUsd != burn.MemoRateMicroUsd)
            return $"the memo states {burn.MemoRateMicroUsd} micro-USD per IO, the quote {quote.RateMicroUsd}";
        if (burn.BlockTime is not { } blockTime)
            return "the node gave no block time for the burn, so the quote cannot be shown to have been valid";
        if (DateTimeOffset.FromUnixTimeSeconds(blockTime) > quote.ExpiresAt)
            return $"the quote expired at {quote.ExpiresAt:O}, before the burn's block time {DateTimeOffset.FromUnixTimeSeconds(blockTime):O}";
        if (quote.UsedBy is { } used && used != burn.Signature)
            return $"the quote was already used by burn {used}";
        return null;
    }
}
