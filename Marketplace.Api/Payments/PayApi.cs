using System.Security.Claims;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.Quotes;
using IoNet.Marketplace.SignIn;
using IoNet.Programs.Flows;
using IoNet.Programs.SolanaPay;
using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Payments;

/// <summary>
/// Paying a rental with Solana Pay (docs/marketplace.md, "Payment"): a transfer request URL (any wallet builds the
/// transfer itself) and a transaction request (the wallet fetches a FundRental transaction from here and signs it).
/// Both pay what is outstanding into the escrow vault, with the rental's reference key and memo ionet:v1:fund:&lt;id&gt;.
/// </summary>
public static class PayApi
{
    public const string Label = "IoNet marketplace";

    public static IEndpointRouteBuilder MapPayments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rentals/{id}/payment", PaymentRequest).WithTags("Payments").RequireAuthorization(WalletPrincipal.WalletPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("How to pay what the rental owes: a Solana Pay transfer request and a transaction request URL");
        // Solana Pay transaction request: wallets call these without a token (the spec's GET and POST).
        var pay = app.MapGroup("/api/pay/rentals").WithTags("Payments").AllowAnonymous();
        pay.MapGet("/{id}", Describe).WithSummary("Solana Pay transaction request, GET: the label and icon a wallet shows");
        pay.MapPost("/{id}", Transaction).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Solana Pay transaction request, POST {account}: a FundRental transaction for that wallet to sign");
        app.MapGet("/api/pay/icon.svg", () => Results.Text(Icon, "image/svg+xml")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<PaymentRequestView>, ProblemHttpResult>> PaymentRequest(
        Guid id, ClaimsPrincipal user, IDocumentStore store, ChainAccess chain, SignInSettings origin, CancellationToken ct)
    {
        // Services are plain parameters, not an [AsParameters] record: request validation would walk a record's
        // properties, and ChainAccess.Network reads the address file.
        var rental = await LoadAsync(store, id, ct);
        if (rental is null)
            return ApiProblems.NotFound($"No rental {id}.");
        if (rental.Buyer != user.RequireWallet())
            return ApiProblems.Forbidden("Only the rental's buyer is asked to pay it.");
        if (Payable(rental) is { } problem)
            return problem;
        if (NetworkOf(chain) is not { } network)
            return ChainUnavailable();
        var mint = PaymentCurrency.Mint(rental.Currency, network);
        var transfer = Transfer(rental, mint, network);
        var link = $"{origin.Uri.TrimEnd('/')}/api/pay/rentals/{rental.RentalId:N}";
        return TypedResults.Ok(new PaymentRequestView(
            rental.RentalId, PaymentCurrency.Symbol(rental.Currency), mint.Address.ToString(), mint.Decimals, rental.Outstanding,
            transfer.Amount!, transfer.Recipient.ToString(), network.EscrowVault(mint).ToString(),
            IoNetReferences.Rental(rental.RentalId).ToString(), transfer.Memo!, transfer.ToUrl(mint.Decimals),
            $"{TransferRequest.Scheme}:{Uri.EscapeDataString(link)}", link, Deadline(rental)));
    }

    private static Ok<TransactionRequestLabel> Describe(Guid id, SignInSettings origin) =>
        TypedResults.Ok(new TransactionRequestLabel(Label, $"{origin.Uri.TrimEnd('/')}/api/pay/icon.svg"));

    private static async Task<Results<Ok<TransactionRequestAnswer>, ValidationProblem, ProblemHttpResult>> Transaction(
        Guid id, TransactionRequestBody body, IDocumentStore store, ChainAccess chain, CancellationToken ct)
    {
        if (!PublicKey.TryParse(body.Account, out var account))
            return ApiProblems.Invalid("account", "account must be the base58 public key of the paying wallet.");
        var rental = await LoadAsync(store, id, ct);
        if (rental is null)
            return ApiProblems.NotFound($"No rental {id}.");
        if (Payable(rental) is { } problem)
            return problem;
        if (NetworkOf(chain) is not { } network)
            return ChainUnavailable();
        var mint = PaymentCurrency.Mint(rental.Currency, network);
        var instructions = IoNetFlows.FundRental(account, mint, network.EscrowAuthority, rental.RentalId, rental.Outstanding);
        var blockhash = (await chain.Rpc.GetLatestBlockhashAsync(cancellationToken: ct)).Value.Blockhash;
        // Fee payer = the paying wallet; unsigned: the wallet adds its signature (Solana Pay, transaction request).
        var message = MessageCompiler.CompileLegacy(account, instructions, Blockhash.Parse(blockhash));
        var transaction = new IoNet.Solana.Transactions.Transaction(message).ToBase64(requireAllSignatures: false);
        return TypedResults.Ok(new TransactionRequestAnswer(transaction,
            $"Pay {TokenAmount.Format(rental.Outstanding, mint.Decimals)} {PaymentCurrency.Symbol(rental.Currency)} for rental {rental.RentalId:N}"));
    }

    /// <summary>The Solana Pay transfer request for what is outstanding (amount with exactly the mint's decimals at most).</summary>
    public static TransferRequest Transfer(Rental rental, MintInfo mint, IoNetAddresses network) => TransferRequest.For(
        network.EscrowAuthority, rental.Outstanding, mint.Decimals, mint.Address,
        [IoNetReferences.Rental(rental.RentalId)], Label,
        $"Rental {rental.RentalId:N}: {rental.GpuCount} GPUs for {rental.Hours + (rental.Extension?.Hours ?? 0)} h",
        new FundMemo(rental.RentalId).Text);

    /// <summary>The network's addresses, or null while its address file cannot be read (the node is not set up yet).</summary>
    private static IoNetAddresses? NetworkOf(ChainAccess chain)
    {
        try
        {
            return chain.Network;
        }
        catch (IoNet.Solana.SolanaException)
        {
            return null;
        }
    }

    private static ProblemHttpResult ChainUnavailable() => ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
        "The marketplace cannot read the network's addresses (Marketplace:Chain:AddressFile) yet; try again later.");

    private static ProblemHttpResult? Payable(Rental rental) =>
        rental.Status is not (RentalStatus.AwaitingPayment or RentalStatus.Active)
            ? ApiProblems.Conflict($"The rental is {rental.Status}: nothing is to be paid.")
            : rental.Outstanding == 0
                ? ApiProblems.Conflict(rental.Status == RentalStatus.Active
                    ? "The rental is paid; request an extension (POST /api/rentals/{id}/extend) to pay for more hours."
                    : "The rental is paid; it becomes active when the payment is indexed.")
                : null;

    private static DateTimeOffset Deadline(Rental rental) =>
        rental.Status == RentalStatus.AwaitingPayment ? rental.PaymentDeadline : rental.ExtensionDeadline ?? rental.PaymentDeadline;

    private static async Task<Rental?> LoadAsync(IDocumentStore store, Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<Rental>(Rental.StreamKey(id), ct);
    }

    private const string Icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#111"/><text x="32" y="41" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">io</text></svg>
        """;
}

/// <summary>
/// How to pay a rental: <see cref="Amount"/> base units (<see cref="AmountText"/> in whole units) of <see cref="Mint"/>
/// to <see cref="Recipient"/>'s associated token account (the escrow vault), with <see cref="Reference"/> and
/// <see cref="Memo"/>, before <see cref="PayBy"/>.
/// </summary>
public sealed record PaymentRequestView(
    Guid Rental, string Currency, string Mint, byte Decimals, ulong Amount, string AmountText, string Recipient, string Vault,
    string Reference, string Memo, string TransferRequest, string TransactionRequest, string TransactionRequestLink, DateTimeOffset PayBy);

/// <summary>Solana Pay transaction request, GET.</summary>
public sealed record TransactionRequestLabel(string Label, string Icon);

/// <summary>Solana Pay transaction request, POST body.</summary>
public sealed record TransactionRequestBody(string Account);

/// <summary>Solana Pay transaction request, POST answer: the base64 serialized transaction and what it does.</summary>
public sealed record TransactionRequestAnswer(string Transaction, string Message);
