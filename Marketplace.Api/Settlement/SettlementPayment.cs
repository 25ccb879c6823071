using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Chain;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using Marten;

namespace IoNet.Marketplace.Settlement;

/// <summary>
/// One settlement transaction as the outbox stores it: out of the escrow vault of <see cref="Mint"/>, some suppliers'
/// payouts and (in the last transaction of the mint) the refund to <see cref="RefundTo"/>, every transfer with the
/// rental's reference (IoNetFlows.SettleRental).
/// </summary>
public sealed record SettlementPayload(Guid Rental, string Mint, IReadOnlyList<SupplierPayout> Payouts, string RefundTo, ulong Refund)
{
    /// <summary>
    /// Suppliers paid per transaction: each costs two accounts and three instructions, and a legacy transaction holds
    /// 1,232 bytes (checked with the refund and the longest memos in SettlementDecisionsTests).
    /// </summary>
    public const int MaxPayoutsPerTransaction = 4;
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
        // A transaction is atomic: any of its transfers in the Ledger means it landed.
        var p = intent.PayloadAs<SettlementPayload>();
        var rental = Rental.StreamKey(p.Rental);
        var suppliers = p.Payouts.Select(s => s.Supplier).ToList();
        await using var session = store.QuerySession();
        if (suppliers.Count > 0)
        {
            var settled = await session.Events.QueryRawEventDataOnly<RentalSettled>()
                .Where(e => e.Rental == rental && e.Mint == p.Mint).ToListAsync(cancellationToken);
            if (settled.FirstOrDefault(e => suppliers.Contains(e.Supplier)) is { } paid)
                return paid.Signature;
        }
        if (p.Refund == 0)
            return null;
        var refunded = await session.Events.QueryRawEventDataOnly<RentalRefunded>()
            .Where(e => e.Rental == rental && e.Mint == p.Mint && e.Buyer == p.RefundTo).FirstOrDefaultAsync(cancellationToken);
        return refunded?.Signature;
    }
}
