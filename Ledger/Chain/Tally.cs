namespace IoNet.Ledger.Chain;

/// <summary>Running sums keyed by a mint, a supplier, a device or a block.</summary>
public static class Tally
{
    public static void Add(Dictionary<string, ulong> sums, string key, ulong amount) =>
        sums[key] = checked(sums.GetValueOrDefault(key) + amount);
}
