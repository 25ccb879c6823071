using System.Globalization;

namespace IoNet.Ledger.Chain;

/// <summary>
/// A read model whose amounts are checked u64 sums. An event that would overflow a sum is not applied but recorded in
/// <see cref="Inconsistencies"/>: a projection never throws on chain data (the async daemon would stop or retry it
/// forever) and never wraps around (1.8e19); `status` and `verify` show the recorded event instead.
/// <para>
/// Only sums are stored, never differences: events reach the projections out of chain order (backfill stores the
/// newest page first; one transaction is found through several sources), so a withdrawal may arrive before the deposit
/// it spends. Differences (a balance, a stake) are computed when read, by <see cref="Remaining"/>, and read as null
/// while the outflows exceed the inflows; once the projections have caught up, such a null is an inconsistency too.
/// </para>
/// </summary>
public abstract class CheckedReadModel
{
    /// <summary>How many inconsistencies a document keeps in full (<see cref="InconsistencyCount"/> counts them all).</summary>
    public const int KeptInconsistencies = 20;

    /// <summary>The first <see cref="KeptInconsistencies"/> events that could not be applied.</summary>
    public List<Inconsistency> Inconsistencies { get; set; } = [];

    /// <summary>Every event that could not be applied (an int, so that Marten's LINQ can filter on it).</summary>
    public int InconsistencyCount { get; set; }

    /// <summary><paramref name="sum"/> + <paramref name="amount"/>; on overflow the sum is kept and the event recorded.</summary>
    public ulong Add(IChainEvent e, ulong sum, ulong amount, string what)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (ulong.MaxValue - sum >= amount)
            return sum + amount;
        Flag(e, $"{what}: {Text(sum)} + {Text(amount)} does not fit in u64");
        return sum;
    }

    /// <summary>Adds <paramref name="amount"/> to <paramref name="sums"/>[<paramref name="key"/>], as <see cref="Add(IChainEvent, ulong, ulong, string)"/>.</summary>
    public void Add(IChainEvent e, Dictionary<string, ulong> sums, string key, ulong amount, string what)
    {
        ArgumentNullException.ThrowIfNull(sums);
        sums[key] = Add(e, sums.GetValueOrDefault(key), amount, $"{what}[{key}]");
    }

    /// <summary>Records <paramref name="e"/> as not applied.</summary>
    public void Flag(IChainEvent e, string message)
    {
        ArgumentNullException.ThrowIfNull(e);
        InconsistencyCount = InconsistencyCount == int.MaxValue ? int.MaxValue : InconsistencyCount + 1;
        if (Inconsistencies.Count < KeptInconsistencies)
            Inconsistencies.Add(new Inconsistency(e.Signature, e.Path, e.GetType().Name, message));
    }

    /// <summary><paramref name="inflow"/> less every outflow, or null where they exceed it (or their sum exceeds u64).</summary>
    public static ulong? Remaining(ulong inflow, params ReadOnlySpan<ulong> outflows)
    {
        var rest = inflow;
        foreach (var outflow in outflows)
        {
            if (outflow > rest)
                return null;
            rest -= outflow;
        }
        return rest;
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
