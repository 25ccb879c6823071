using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.Pricing;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Credits;

/// <summary>The IOSD credits desk: the rate, quotes, the BuyCredits transaction for a quote, and the purchases it minted.</summary>
public static class CreditsApi
{
    public static IEndpointRouteBuilder MapCredits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/credits").WithTags("Credits");
        group.MapGet("/rate", Rate).AllowAnonymous()
            .WithSummary("The desk's current IO/USD rate (micro-USD per IO): what a burn without a valid quote is minted at");
        group.MapPost("/quotes", CreateQuote).RequireAuthorization(WalletPrincipal.WalletPolicy).WithIdempotencyKey()
            .WithSummary("A quote for the signed-in wallet: burn this much IO naming the quote before it expires and receive exactly its IOSD");
        group.MapGet("/quotes/mine", MyQuotes).RequireAuthorization(WalletPrincipal.WalletPolicy)
            .WithSummary("The signed-in wallet's quotes, newest first");
        group.MapGet("/quotes/{id}", GetQuote).AllowAnonymous()
            .WithSummary("A quote (its id is the secret of the buyer it was given to)");
        group.MapGet("/quotes/{id}/transaction", TransactionLabel).AllowAnonymous()
            .WithSummary("Solana Pay transaction request, GET: the label and icon a wallet shows");
        group.MapPost("/quotes/{id}/transaction", BuildTransaction).AllowAnonymous()
            .WithSummary("Solana Pay transaction request, POST {account}: the quote's BuyCredits transaction (base64, unsigned) for that wallet to sign and send");
        group.MapGet("/icon.svg", () => TypedResults.Text(Icon, "image/svg+xml")).AllowAnonymous()
            .WithSummary("The icon a wallet shows for a credits transaction request");
        group.MapGet("/purchases/mine", MyPurchases).RequireAuthorization(WalletPrincipal.WalletPolicy)
            .WithSummary("The signed-in wallet's purchases the desk decided, newest burn first, with their mints");
        group.MapGet("/purchases/{burnSignature}", GetPurchase).AllowAnonymous()
            .WithSummary("What the desk decided for a burn (by its transaction signature) and where its mint stands");
        return app;
    }

    public sealed record Services(
        CreditsStore Credits, TransactionOutbox Outbox, IUsdRateSource Rates, ChainAccess Chain, CreditsSettings Settings, TimeProvider Clock, CreditsMetrics Metrics);

    private static async Task<Ok<CreditRateView>> Rate([AsParameters] Services s, CancellationToken ct) =>
        TypedResults.Ok(new CreditRateView(await s.Rates.MicroUsdPerIoAsync(ct), s.Chain.Network.Io.Decimals, s.Chain.Network.Iosd.Decimals,
            (int)s.Settings.QuoteLifetime.TotalSeconds));

    private static async Task<Results<Created<CreditQuoteView>, ValidationProblem>> CreateQuote(
        CreateCreditQuoteRequest request, ClaimsPrincipal user, HttpContext http, [AsParameters] Services s, CancellationToken ct)
    {
        var now = s.Clock.GetUtcNow();
        var rate = await s.Rates.MicroUsdPerIoAsync(ct);
        var (quote, error) = CreditsDecisions.Quote(Guid.CreateVersion7(now), user.RequireWallet(), request.IoAmount!.Value, rate,
            s.Chain.Network.Io.Decimals, now, s.Settings.QuoteLifetime);
        if (quote is null)
            return ApiProblems.Invalid(nameof(request.IoAmount), error!);
        await s.Credits.AddQuoteAsync(quote, ct);
        s.Metrics.Quoted();
        return TypedResults.Created($"/api/credits/quotes/{quote.Id:N}", View(quote, http));
    }

    private static async Task<Ok<CreditQuotePage>> MyQuotes(
        ClaimsPrincipal user, HttpContext http, [AsParameters] Services s, CancellationToken ct, [Range(1, 200)] int limit = 50) =>
        TypedResults.Ok(new CreditQuotePage((await s.Credits.QuotesOfAsync(user.RequireWallet(), limit, ct)).Select(q => View(q, http)).ToList()));

    private static async Task<Results<Ok<CreditQuoteView>, ProblemHttpResult>> GetQuote(Guid id, HttpContext http, [AsParameters] Services s, CancellationToken ct) =>
        await s.Credits.FindQuoteAsync(id, ct) is { } quote ? TypedResults.Ok(View(quote, http)) : ApiProblems.NotFound($"No quote {id:N}.");

    private static async Task<Results<Ok<TransactionRequestLabel>, ProblemHttpResult>> TransactionLabel(
        Guid id, HttpContext http, [AsParameters] Services s, CancellationToken ct)
    {
        if (await s.Credits.FindQuoteAsync(id, ct) is not { } quote)
            return ApiProblems.NotFound($"No quote {id:N}.");
        return TypedResults.Ok(new TransactionRequestLabel($"io.net credits: {Units(quote.IosdAmount, 6)} IOSD", $"{Origin(http)}/api/credits/icon.svg"));
    }

    /// <summary>
    /// The quote's BuyCredits for <c>account</c> (the quote's buyer only), fee payer the buyer, a recent blockhash, no
    /// signature: the wallet signs and sends it. Refused once the quote expired (a new quote is the way to its rate).
    /// </summary>
    private static async Task<Results<Ok<TransactionRequestAnswer>, ValidationProblem, ProblemHttpResult>> BuildTransaction(
        Guid id, TransactionRequestBody body, [AsParameters] Services s, CancellationToken ct)
    {
        if (await s.Credits.FindQuoteAsync(id, ct) is not { } quote)
            return ApiProblems.NotFound($"No quote {id:N}.");
        if (body.Account != quote.Buyer)
            return ApiProblems.Forbidden($"Quote {id:N} was given to {quote.Buyer}, not to {body.Account}.");
        if (quote.UsedBy is { } used)
            return ApiProblems.Conflict($"Quote {id:N} was already used by burn {used}.");
        if (s.Clock.GetUtcNow() >= quote.ExpiresAt)
            return ApiProblems.Conflict($"Quote {id:N} expired at {quote.ExpiresAt:O}: ask for a new one.");
        var network = s.Chain.Network;
        var buyer = PublicKey.Parse(quote.Buyer);
        var held = await IoHeldAsync(s.Chain.Rpc, network.Io.AccountOf(buyer), ct);
        if (held < quote.IoAmount)
            return ApiProblems.Conflict($"{quote.Buyer} holds {held} IO base units; the quote burns {quote.IoAmount}.");
        var latest = (await s.Chain.Rpc.GetLatestBlockhashAsync(Commitment.Finalized, ct)).Value;
        var message = MessageCompiler.CompileLegacy(buyer, IoNetFlows.BuyCredits(buyer, network.Io, quote.IoAmount, quote.RateMicroUsd, quote.Id),
            Blockhash.Parse(latest.Blockhash));
        return TypedResults.Ok(new TransactionRequestAnswer(new Transaction(message).ToBase64(requireAllSignatures: false),
            $"Burn {Units(quote.IoAmount, network.Io.Decimals)} IO for {Units(quote.IosdAmount, network.Iosd.Decimals)} IOSD"));
    }

    private static async Task<Ok<CreditPurchasePage>> MyPurchases(
        ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct, [Range(1, 200)] int limit = 50)
    {
        var purchases = await s.Credits.PurchasesOfAsync(user.RequireWallet(), limit, ct);
        var mints = (await s.Outbox.FindAsync(purchases.Select(p => CreditsStore.IntentKey(p.BurnSignature)).ToList(), ct)).ToDictionary(i => i.Key);
        return TypedResults.Ok(new CreditPurchasePage(purchases.Select(p => CreditPurchaseView.Of(p, mints.GetValueOrDefault(CreditsStore.IntentKey(p.BurnSignature)))).ToList()));
    }

    private static async Task<Results<Ok<CreditPurchaseView>, ProblemHttpResult>> GetPurchase(
        string burnSignature, [AsParameters] Services s, CancellationToken ct)
    {
        if (!Signature.TryParse(burnSignature, out _))
            return ApiProblems.BadRequest("burnSignature must be a base58 transaction signature (64 bytes).");
        if (await s.Credits.FindPurchaseAsync(burnSignature, ct) is not { } purchase)
            return ApiProblems.NotFound($"The desk has not decided a purchase for {burnSignature} (not a buy burn, or the indexer has not stored it yet).");
        return TypedResults.Ok(CreditPurchaseView.Of(purchase, await s.Outbox.FindAsync(CreditsStore.IntentKey(burnSignature), ct)));
    }

    private static CreditQuoteView View(CreditQuote q, HttpContext http)
    {
        var path = $"/api/credits/quotes/{q.Id:N}/transaction";
        return new CreditQuoteView(q.Id, q.Buyer, q.IoAmount, q.RateMicroUsd, q.IosdAmount, q.CreatedAt, q.ExpiresAt,
            new BuyMemo(q.RateMicroUsd, q.Id).Text, path, "solana:" + Uri.EscapeDataString(Origin(http) + path), q.UsedBy);
    }

    private const string Icon =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><circle cx=\"32\" cy=\"32\" r=\"30\" fill=\"#111\"/>"
        + "<text x=\"32\" y=\"40\" font-family=\"sans-serif\" font-size=\"22\" text-anchor=\"middle\" fill=\"#fff\">io</text></svg>";

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    private static async Task<ulong> IoHeldAsync(SolanaRpcClient rpc, PublicKey account, CancellationToken ct)
    {
        try
        {
            return (await rpc.GetTokenAccountBalanceAsync(account.ToString(), cancellationToken: ct)).Value.BaseUnits;
        }
        catch (RpcException e) when (e.Kind is RpcErrorKind.InvalidRequest)
        {
            return 0; // no token account
        }
    }

    private static string Units(ulong baseUnits, byte decimals) =>
        (baseUnits / (decimal)Math.Pow(10, decimals)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
