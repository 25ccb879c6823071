using IoNet.Ledger.Staking;
using Marten;

namespace IoNet.Marketplace.Staking;

/// <summary>
/// One device's stake as the Indexer stored it, summed from its stake events in the shared event store (the marketplace's
/// store knows their types). Not from the Indexer's <c>DeviceEarnings</c> document: that table is the Indexer's
/// projection, mapped with numeric revisions, and loading it through the marketplace's Marten made it try to migrate the
/// Indexer's table (42804: mt_version cannot become a uuid).
/// </summary>
public sealed record IndexedStake(ulong Deposited, ulong Withdrawn, ulong Slashed)
{
    /// <summary>Deposited less withdrawn and slashed (never below 0).</summary>
    public ulong Staked
    {
        get
        {
            var gone = checked(Withdrawn + Slashed);
            return Deposited >= gone ? Deposited - gone : 0;
        }
    }

    /// <summary>The stake of the device whose Ledger key (32 hex digits) is <paramref name="deviceKey"/>.</summary>
    public static async Task<IndexedStake> ReadAsync(IQuerySession session, string deviceKey, CancellationToken ct)
    {
        var deposited = Sum(await session.Events.QueryRawEventDataOnly<StakeDeposited>().Where(e => e.Device == deviceKey).ToListAsync(ct), e => e.Amount);
        var withdrawn = Sum(await session.Events.QueryRawEventDataOnly<StakeWithdrawn>().Where(e => e.Device == deviceKey).ToListAsync(ct), e => e.Amount);
        var slashed = Sum(await session.Events.QueryRawEventDataOnly<StakeSlashed>().Where(e => e.Device == deviceKey).ToListAsync(ct), e => e.Amount);
        return new IndexedStake(deposited, withdrawn, slashed);
    }

    private static ulong Sum<T>(IEnumerable<T> events, Func<T, ulong> amount) => events.Aggregate(0UL, (sum, e) => checked(sum + amount(e)));
}
