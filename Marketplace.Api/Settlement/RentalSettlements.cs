using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Claims;
using IoNet.Marketplace.Quotes;
using Marten;

namespace IoNet.Marketplace.Settlement;

/// <summary>
/// Settles rentals: decide once (the rental's stream gets RentalSettlementDecided, the outbox its payments and the claims
/// store the payouts of suppliers who accrue, in one PostgreSQL transaction), and mark the rental Settled once the Ledger
/// holds every transfer decided but the accrued ones (those are paid when their supplier claims them).
/// </summary>
public sealed class RentalSettlements(
    IDocumentStore store, TransactionOutbox outbox, ClaimsStore claims, ChainAccess chain, TimeProvider clock, ILogger<RentalSettlements> log)
{
    /// <summary>Decides the settlement of a rental that is over (nothing when it runs or was decided), then checks whether it is paid.</summary>
    public async Task SettleAsync(Guid rental, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DecideOnceAsync(rental, ct);
                break;
            }
            catch (Exception e) when (attempt < 5 && e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                // Another writer changed the rental meanwhile: decide on its new state.
            }
        }
        await CompleteIfPaidAsync(rental, ct);
    }

    private async Task DecideOnceAsync(Guid rental, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<Rental>(Rental.StreamKey(rental), ct);
        if (stream.Aggregate is not { } state)
            return;
        var network = chain.Network;
        var vaults = network.Mints.ToDictionary(m => m.Address.ToString(), m => network.EscrowVault(m).ToString(), StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var events = SettlementDecisions.Decide(state, new SettleRental(PaymentCurrency.Mint(state.Currency, network).Address.ToString(), vaults, now));
        if (events.Count == 0)
            return;
        var decided = (RentalSettlementDecided)events[0];
        // Suppliers who accrue are not paid now: their payouts become earnings they claim (Claims), decided in this same commit.
        var accrued = await claims.AccruingAsync(decided.Payouts.Select(p => p.Supplier).ToList(), ct);
        stream.AppendMany(events);
        foreach (var (key, payload) in Payments(decided, accrued))
            await outbox.EnqueueAsync(session, OutboxEntry.Of(key, SettlementPayment.KindName, decided.Buyer, payload), now, ct);
        await claims.EnsureReadyAsync(ct);
        ClaimsStore.QueueAccruals(session, claims.EarningsTable, rental, decided.Mint, decided.Payouts.Where(p => accrued.Contains(p.Supplier)), now);
        await session.SaveChangesAsync(ct);
        outbox.Wake();
        log.LogInformation("Rental {Rental} settles: {Payouts} to suppliers ({Accrued} of it accrued), {Fees} fees, {Refund} refunded of {Funded} ({Mint})",
            rental, decided.Payouts.Aggregate(0UL, (s, p) => checked(s + p.Amount)),
            decided.Payouts.Where(p => accrued.Contains(p.Supplier)).Aggregate(0UL, (s, p) => checked(s + p.Amount)),
            decided.Fees, decided.Refund, decided.Funded, decided.Mint);
    }

    /// <summary>
    /// The transactions a settlement needs, each with its outbox key: in the rental's mint the payouts, at most
    /// <see cref="SettlementPayload.MaxPayoutsPerTransaction"/> suppliers each (<c>settle:&lt;rental&gt;</c>, then
    /// <c>settle:&lt;rental&gt;:2</c>, …), the refund in the last; then one refund per other mint and payer
    /// (<c>settle:&lt;rental&gt;:&lt;mint&gt;:&lt;payer&gt;</c>). The payouts of <paramref name="accrued"/> suppliers are left
    /// out: they are claimed (Claims).
    /// </summary>
    public static IReadOnlyList<(string Key, SettlementPayload Payload)> Payments(RentalSettlementDecided decided, IReadOnlySet<string>? accrued = null)
    {
        var payments = new List<(string, SettlementPayload)>();
        var chunks = decided.Payouts.Where(p => accrued?.Contains(p.Supplier) != true).Chunk(SettlementPayload.MaxPayoutsPerTransaction).ToList();
        if (chunks.Count == 0 && decided.Refund > 0)
            chunks.Add([]);
        for (var i = 0; i < chunks.Count; i++)
        {
            var last = i == chunks.Count - 1;
            payments.Add((i == 0 ? $"settle:{decided.Rental:N}" : $"settle:{decided.Rental:N}:{i + 1}",
                new SettlementPayload(decided.Rental, decided.Mint, chunks[i], decided.Buyer, last ? decided.Refund : 0)));
        }
        foreach (var other in decided.OtherRefunds)
            payments.Add(($"settle:{decided.Rental:N}:{other.Mint}:{other.Payer}", new SettlementPayload(decided.Rental, other.Mint, [], other.Payer, other.Amount)));
        return payments;
    }

    /// <summary>Appends RentalSettlementCompleted once the Ledger holds every transfer decided for the rental (accrued payouts aside).</summary>
    public async Task CompleteIfPaidAsync(Guid rental, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var key = Rental.StreamKey(rental);
        var stream = await session.Events.FetchForWriting<Rental>(key, ct);
        if (stream.Aggregate is not { Settlement: { } decided } state || state.Status == RentalStatus.Settled)
            return;
        var settled = await session.Events.QueryRawEventDataOnly<RentalSettled>().Where(e => e.Rental == key).ToListAsync(ct);
        var refunded = await session.Events.QueryRawEventDataOnly<RentalRefunded>().Where(e => e.Rental == key).ToListAsync(ct);
        if (!SettlementDecisions.IsPaid(decided, settled, refunded, await claims.AccruedSuppliersAsync(rental, ct)))
            return;
        var signatures = settled.Select(s => s.Signature).Concat(refunded.Select(r => r.Signature)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        stream.AppendOne(new RentalSettlementCompleted(rental, signatures, clock.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(ct);
            log.LogInformation("Rental {Rental} is settled ({Signatures})", rental, string.Join(", ", signatures));
        }
        catch (Exception e) when (e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
        {
            // Someone else appended (perhaps this very completion): the next chain event or replay looks again.
        }
    }
}
