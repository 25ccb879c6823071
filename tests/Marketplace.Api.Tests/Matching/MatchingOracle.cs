using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;

namespace IoNet.MarketplaceApi.Tests.Matching;

/// <summary>
/// The matching rule of docs/marketplace.md written the slow, obvious way: every subset of the eligible asks, the
/// cheapest with exactly the bid's GPU count wins, ties to the set holding the earliest ask of those they differ in.
/// </summary>
internal static class MatchingOracle
{
    public static bool Eligible(AskView ask, BidView bid, DateTimeOffset now) =>
        ask.TimePriority is not null && ask.RentalId is null && ask.Eligible
        && (bid.GpuModel is not null ? ask.GpuModel == bid.GpuModel : ask.GpuClass == bid.GpuClass)
        && ask.GpuCount <= bid.GpuCount
        && ask.PricePerGpuHour <= bid.MaxPricePerGpuHour
        && ask.MinHours <= bid.Hours && bid.Hours <= ask.MaxHours
        && now.AddHours(bid.Hours) <= ask.AvailableUntil
        && (bid.AllowedCountries.Count == 0 || bid.AllowedCountries.Contains(ask.Country))
        && ask.Connectivity >= bid.MinConnectivity && ask.Security >= bid.MinSecurity
        && (ask.AcceptedCurrencies & bid.Currency) != 0
        && ask.Supplier != bid.Buyer;

    /// <summary>The asks the rule picks (earliest first), or null when no set fills the bid.</summary>
    public static AskView[]? BestSet(IEnumerable<AskView> book, BidView bid, DateTimeOffset now)
    {
        var eligible = book.Where(a => Eligible(a, bid, now)).OrderBy(a => a.TimePriority).ToArray();
        if (eligible.Length > 20) throw new InvalidOperationException("Too many asks for the brute force.");
        if (eligible.Sum(a => a.GpuCount) < bid.GpuCount) return null;
        var best = -1;
        ulong bestCost = 0;
        for (var subset = 1; subset < 1 << eligible.Length; subset++)
        {
            int gpus = 0;
            ulong cost = 0;
            string? supplier = null;
            var oneSupplier = true;
            for (var i = 0; i < eligible.Length; i++)
            {
                if ((subset & (1 << i)) == 0) continue;
                gpus += eligible[i].GpuCount;
                cost += eligible[i].PricePerGpuHour * (ulong)eligible[i].GpuCount;
                oneSupplier &= supplier is null || supplier == eligible[i].Supplier;
                supplier = eligible[i].Supplier;
            }
            if (gpus != bid.GpuCount || (bid.SingleSupplier && !oneSupplier)) continue;
            if (best < 0 || cost < bestCost || (cost == bestCost && HoldsEarliestDifference(subset, best)))
            {
                best = subset;
                bestCost = cost;
            }
        }
        return best < 0 ? null : [.. eligible.Where((_, i) => (best & (1 << i)) != 0)];
    }

    /// <summary>
    /// Asks are indexed earliest first, so the earliest ask of those two subsets differ in is the lowest differing bit.
    /// </summary>
    private static bool HoldsEarliestDifference(int a, int b)
    {
        var difference = a ^ b;
        var lowest = difference & -difference;
        return (a & lowest) != 0;
    }

    public static ulong Cost(IEnumerable<AskView> set) =>
        set.Aggregate(0UL, (sum, a) => sum + a.PricePerGpuHour * (ulong)a.GpuCount);

    /// <summary>A bid command seen as the book would hold it (for the oracle, before it is placed).</summary>
    public static BidView ViewOf(PlaceBid bid) => new(
        bid.BidId, bid.Buyer, bid.GpuModel, bid.GpuClass, bid.GpuCount, bid.MaxPricePerGpuHour, bid.Hours,
        [.. bid.AllowedCountries.Select(c => c.ToUpperInvariant())], bid.MinConnectivity, bid.MinSecurity,
        bid.SingleSupplier, bid.Currency, bid.ExpiresAt, 0);
}
