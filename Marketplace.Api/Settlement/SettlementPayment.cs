using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Chain;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using Marten;

namespace IoNet.Marketplace.Settlement;

/// <summary>
/// One settlement transaction as the outbox stores it: out of the escrow vault of <see cref="Mint"/>, each supplier's
/// payout and the refund to <see cref="RefundTo"/>, every transfer with the rental's reference (IoNetFlows.SettleRental).
/// </summary>
public sealed record SettlementPayload(Guid Rental, string Mint, IReadOnlyList<SupplierPayout> Payouts, string RefundTo, ulong Refund)
{
    /// <summary>The outbox key: one intent per rental and mint (the rental's own mint, and each other mint paid by mistake).</summary>
    public static string KeyOf(Guid rental, string mint, bool rentalMint) => rentalMint ? $"settle:{rental:N}" : $"settle:{rental:N}:{mint}";
}

/// <summary>
/// The outbox operation of a settlement: SettleRental signed by the escrow authority (fee payer too). Work already done
/// is any RentalSettled or RentalRefunded of this rental in this mint in the Ledger (one transaction carries all of a
/// mint's transfers, and only the escrow authority can move the vault's tokens), so nothing is paid twice.
/// </summary>
public sealed class SettlementPayment(ChainAccess chain, IDocumentStore store) : IOutboxOperation
{
    public const string KindName = "settle";

    public string Kind => KindName;

    public OutboxTransaction Build(OutboxIntent intent)
    {
        var p = intent.PayloadAs<SettlementPayload>();
        var network = chain.Network;
        var mint = network.MintOf(PublicKey.Parse(p.Mint)) ?? throw new InvalidOperationException($"{p.Mint} is not a mint of this network.");
        var escrow = chain.EscrowAuthority;
        return new OutboxTransaction(escrow, IoNetFlows.SettleRental(escrow.PublicKey, mint, p.Rental,
            p.Payouts.Select(s => (PublicKey.Parse(s.Supplier), s.Amount)).ToList(), PublicKey.Parse(p.RefundTo), p.Refund));
    }

    public async Task<string?> FindInLedgerAsync(OutboxIntent intent, CancellationToken cancellationToken)
    {
        var p = intent.PayloadAs<SettlementPayload>();
        var rental = Rental.StreamKey(p.Rental);
        await using var session = store.QuerySession();
        var settled = await session.Events.QueryRawEventDataOnly<RentalSettled>()
            .Where(e => e.Rental == rental && e.Mint == p.Mint).FirstOrDefaultAsync(cancellationToken);
        if (settled is not null)
            return settled.Signature;
        var refunded = await session.Events.QueryRawEventDataOnly<RentalRefunded>()
            .Where(e => e.Rental == rental && e.Mint == p.Mint).FirstOrDefaultAsync(cancellationToken);
        return refunded?.Signature;
    }
}
