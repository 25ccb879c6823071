using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Credits;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.SignIn;
using IoNet.Programs.SolanaPay;
using IoNet.Solana.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Claims;

/// <summary>
/// A supplier's earnings and claims (Marketplace.Api/README.md, "Claims"): whether settlement pays it at once (default)
/// or accrues its payouts; what is accrued and unpaid; and the Solana Pay transaction request that pays the wallet all
/// of it (GET label and icon, POST {account}: the claim transaction, signed by the escrow authority, the wallet to sign).
/// </summary>
public static class ClaimsApi
{
    public const string Label = "IoNet earnings";

    public static IEndpointRouteBuilder MapClaims(this IEndpointRouteBuilder app)
    {
        var earnings = app.MapGroup("/api/earnings").WithTags("Claims").RequireAuthorization(WalletPrincipal.WalletPolicy);
        earnings.MapGet("/", Get).WithSummary("The wallet's accrued earnings (unpaid per currency; the newest 500 rentals' each), its newest 100 claims, and its claim link");
        earnings.MapPut("/settings", Set).WithSummary("accrue: true keeps rental earnings for a claim; false (the default) pays them at settlement");
        // Solana Pay transaction request: wallets call these without a token (the spec's GET and POST).
        var pay = app.MapGroup("/api/pay/claims").WithTags("Claims").AllowAnonymous();
        pay.MapGet("/", Describe).WithSummary("Solana Pay transaction request, GET: the label and icon a wallet shows");
        pay.MapPost("/", Claim).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Solana Pay transaction request, POST {account}: a transaction paying that wallet all its unpaid earnings");
        return app;
    }

    private static async Task<Ok<EarningsView>> Get(ClaimsPrincipal user, ClaimsStore store, ChainAccess chain, SignInSettings origin, CancellationToken ct)
    {
        var wallet = user.RequireWallet();
        var (accrue, changedAt) = await store.PreferenceAsync(wallet, ct);
        var earnings = await store.EarningsOfAsync(wallet, 500, ct);
        var claims = await store.ClaimsOfAsync(wallet, 100, ct);
        var unpaid = (await store.UnpaidTotalsAsync(wallet, ct)).Select(t => new UnpaidEarnings(t.Mint, SymbolOf(chain, t.Mint), t.Amount, t.Reserved)).ToList();
        var link = $"{origin.Uri.TrimEnd('/')}/api/pay/claims";
        return TypedResults.Ok(new EarningsView(wallet, accrue, changedAt, unpaid,
            earnings.Select(e => new EarningView(e.Rental, e.Mint, e.Amount, e.AccruedAt, e.Claim, e.PaidSignature, e.PaidAt)).ToList(),
            claims.Select(c => new ClaimView(c.Id, c.State, c.Message, c.Reference, c.LastValidBlockHeight, c.CreatedAt, c.Signature, c.PaidAt,
                c.ReleasedAt, c.ReleaseReason)).ToList(),
            $"{TransferRequest.Scheme}:{Uri.EscapeDataString(link)}", link));
    }

    private static async Task<Ok<EarningSettingsView>> Set(EarningSettingsRequest body, ClaimsPrincipal user, ClaimsStore store, TimeProvider clock, CancellationToken ct)
    {
        var wallet = user.RequireWallet();
        await store.SetPreferenceAsync(wallet, body.Accrue!.Value, clock.GetUtcNow(), ct);
        var (accrue, changedAt) = await store.PreferenceAsync(wallet, ct);
        return TypedResults.Ok(new EarningSettingsView(wallet, accrue, changedAt));
    }

    private static Ok<TransactionRequestLabel> Describe(SignInSettings origin) =>
        TypedResults.Ok(new TransactionRequestLabel(Label, $"{origin.Uri.TrimEnd('/')}/api/pay/icon.svg"));

    private static async Task<Results<Ok<TransactionRequestAnswer>, ValidationProblem, ProblemHttpResult>> Claim(
        TransactionRequestBody body, ClaimDesk desk, ChainAccess chain, CancellationToken ct)
    {
        if (!PublicKey.TryParse(body.Account, out var account))
            return ApiProblems.Invalid("account", "account must be the base58 public key of the wallet whose earnings are claimed.");
        try
        {
            _ = chain.Network;
        }
        catch (IoNet.Solana.SolanaException)
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The marketplace cannot read the network's addresses (Marketplace:Chain:AddressFile) yet; try again later.");
        }
        try
        {
            var answer = await desk.ClaimAsync(account, ct);
            return TypedResults.Ok(new TransactionRequestAnswer(answer.Transaction, answer.Message));
        }
        catch (NothingToClaimException nothing)
        {
            return ApiProblems.Conflict(nothing.Message);
        }
    }

    private static string SymbolOf(ChainAccess chain, string mint)
    {
        try
        {
            return chain.Network.MintOf(PublicKey.Parse(mint)) is { } m ? ClaimTransactions.Symbol(chain.Network, m) : mint;
        }
        catch (IoNet.Solana.SolanaException)
        {
            return mint;
        }
    }
}

public sealed record EarningSettingsRequest
{
    /// <summary>true: rental earnings accrue until claimed; false: each settlement pays them.</summary>
    [Required]
    public bool? Accrue { get; init; }
}

public sealed record EarningSettingsView(string Wallet, bool Accrue, DateTimeOffset? ChangedAt);

/// <summary>Accrued and unpaid, in base units of <see cref="Mint"/>; <see cref="Reserved"/> of it is in a pending claim.</summary>
public sealed record UnpaidEarnings(string Mint, string Currency, ulong Amount, ulong Reserved);

public sealed record EarningView(Guid Rental, string Mint, ulong Amount, DateTimeOffset AccruedAt, Guid? Claim, string? PaidSignature, DateTimeOffset? PaidAt);

public sealed record ClaimView(
    Guid Id, ClaimState State, string Message, string Reference, ulong LastValidBlockHeight, DateTimeOffset CreatedAt, string? Signature,
    DateTimeOffset? PaidAt, DateTimeOffset? ReleasedAt, string? ReleaseReason);

/// <summary>
/// A wallet's earnings: <see cref="Accrue"/> its setting, <see cref="Unpaid"/> per currency, each rental's earning, its
/// claims, and the Solana Pay link (<see cref="TransactionRequest"/>) a wallet opens to claim.
/// </summary>
public sealed record EarningsView(
    string Wallet, bool Accrue, DateTimeOffset? ChangedAt, IReadOnlyList<UnpaidEarnings> Unpaid, IReadOnlyList<EarningView> Earnings,
    IReadOnlyList<ClaimView> Claims, string TransactionRequest, string TransactionRequestLink);
