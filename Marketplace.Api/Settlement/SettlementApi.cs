using System.Security.Claims;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Claims;
using IoNet.Marketplace.Http;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Settlement;

/// <summary>A rental's settlement for its buyer and suppliers: what was decided and where each payment stands.</summary>
public static class SettlementApi
{
    public static IEndpointRouteBuilder MapSettlement(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/rentals").WithTags("Rentals").RequireAuthorization(WalletPrincipal.WalletPolicy)
            .MapGet("/{id}/settlement", Get).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A rental's settlement: per device the time served and its earnings, payouts, fees, refund, and the payments' state");
        return app;
    }

    private static async Task<Results<Ok<SettlementView>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal user, IDocumentStore store, TransactionOutbox outbox, ClaimsStore claims, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var rental = await session.LoadAsync<Rental>(Rental.StreamKey(id), ct);
        var wallet = user.RequireWallet();
        if (rental is null)
            return ApiProblems.NotFound($"No rental {id}.");
        if (rental.Buyer != wallet && !rental.Suppliers.Contains(wallet))
            return ApiProblems.Forbidden("Only the rental's buyer and its suppliers may see its settlement.");
        if (rental.Settlement is not { } decided)
            return ApiProblems.NotFound(rental.AwaitsSettlement
                ? $"Rental {id} is {rental.Status}; its settlement is being decided."
                : $"Rental {id} is {rental.Status}: nothing to settle (yet).");
        var accrued = await claims.AccruedSuppliersAsync(id, ct);
        var payments = RentalSettlements.Payments(decided, accrued).Select(p => p.Key).ToList();
        var intents = (await outbox.FindAsync(payments, ct)).ToDictionary(i => i.Key, StringComparer.Ordinal);
        return TypedResults.Ok(new SettlementView(id, rental.Status, decided.Mint, decided.Funded, decided.UsageMicroUsd, decided.Charged,
            decided.Devices, decided.Payouts, decided.Fees, decided.Buyer, decided.Refund, decided.OtherRefunds, decided.At, rental.SettledAt,
            payments.Select(k => intents.TryGetValue(k, out var i)
                ? new SettlementTransaction(k, i.State, i.DoneSignature ?? i.Signature, i.Signatures)
                : new SettlementTransaction(k, OutboxState.Pending, null, [])).ToList(),
            decided.Payouts.Where(p => accrued.Contains(p.Supplier)).ToList()));
    }
}

/// <summary>
/// A settlement: amounts in base units of <see cref="Mint"/> (usage in micro-USD); Σ payouts + fees + refund = funded.
/// <see cref="Transactions"/>: each outbox payment (Pending, Signed, Done) with its signature. <see cref="Accrued"/>: the
/// payouts kept for suppliers who accrue (not in the transactions; paid when claimed, GET /api/earnings).
/// </summary>
public sealed record SettlementView(
    Guid Rental, RentalStatus Status, string Mint, ulong Funded, ulong UsageMicroUsd, ulong Charged, IReadOnlyList<SettlementLine> Devices,
    IReadOnlyList<SupplierPayout> Payouts, ulong Fees, string Buyer, ulong Refund, IReadOnlyList<OtherMintRefund> OtherRefunds,
    DateTimeOffset DecidedAt, DateTimeOffset? SettledAt, IReadOnlyList<SettlementTransaction> Transactions, IReadOnlyList<SupplierPayout> Accrued);

public sealed record SettlementTransaction(string Key, OutboxState State, string? Signature, IReadOnlyList<string> Signatures);
