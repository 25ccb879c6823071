using System.Runtime.CompilerServices;
using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Matching;

/// <summary>
/// Finds the set of asks that fills a bid, exactly (see <see cref="OrderBookEngine"/> for the rule). Owned by one
/// engine and reused for every search: its buffers are scratch, so it allocates nothing per search.
/// </summary>
/// <remarks>
/// Candidates: devices of g GPUs are interchangeable but for price and time, so among them only the first ⌊G/g⌋
/// eligible asks of ladder g (price, then time order) can be in the best set (exchange argument: swapping a chosen ask
/// for a cheaper one, or an equally priced earlier one, improves the set). That leaves at most Σ_g ⌊G/g⌋ candidates
/// (≤ 211 for G = 64). Then a grouped knapsack over the GPU-count buckets: best[j] = the best set of exactly j GPUs from
/// the buckets seen so far, trying k = 0..n_g of bucket g's first asks. "Best" compares (cost per hour, then the
/// candidates' time ranks as a 256-bit mask with the earliest ask as the highest bit): both parts add up over
/// disjoint sets, so the lexicographic order is kept by the recurrence and the DP is exact.
/// Cost O(Σ_g (G + 1)(n_g + 1)) ≤ about 15k steps at G = 64, a few hundred at G = 8.
/// </remarks>
internal sealed class ClusterSearch
{
    private const int Buckets = MarketLimits.MaxGpusPerDevice + 1;
    internal const int MaxCandidates = 256;
    private const ulong Unreachable = ulong.MaxValue;

    private AskEntry[] _candidates = new AskEntry[MaxCandidates];
    private readonly int[] _start = new int[Buckets];
    private readonly int[] _count = new int[Buckets];
    private int _n;

    private readonly long[] _sortKeys = new long[MaxCandidates];
    private readonly int[] _byRank = new int[MaxCandidates];
    private readonly int[] _rankOf = new int[MaxCandidates];

    private ulong[] _cost = new ulong[MarketLimits.MaxGpusPerBid + 1];
    private ulong[] _nextCost = new ulong[MarketLimits.MaxGpusPerBid + 1];
    private RankMask[] _mask = new RankMask[MarketLimits.MaxGpusPerBid + 1];
    private RankMask[] _nextMask = new RankMask[MarketLimits.MaxGpusPerBid + 1];

    private AskEntry[] _chosen = new AskEntry[MarketLimits.MaxGpusPerBid];
    private AskEntry[] _best = new AskEntry[MarketLimits.MaxGpusPerBid];
    private readonly Dictionary<string, SupplierGroup> _groups = new(StringComparer.Ordinal);
    private readonly List<SupplierGroup> _groupPool = [];
    private readonly List<SupplierGroup> _viable = [];
    private int _groupsUsed;

    /// <summary>The asks of the last successful search, earliest first.</summary>
    internal ReadOnlySpan<AskEntry> Chosen => _chosen.AsSpan(0, ChosenCount);

    internal int ChosenCount { get; private set; }

    /// <summary>Σ price × GPUs of the chosen asks (micro-USD per hour).</summary>
    internal ulong ChosenPerHour { get; private set; }

    /// <summary>Whether an ask may serve a bid, on everything but the GPU model or class (the index decides that).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Fits(AskEntry ask, BidEntry bid, long nowTicks) =>
        ask.Price <= bid.MaxPrice
        && ask.Gpus <= bid.Gpus
        && ask.MinHours <= bid.Hours && bid.Hours <= ask.MaxHours
        && nowTicks + bid.HoursTicks <= ask.AvailableUntilTicks
        && ask.Connectivity >= bid.MinConnectivity
        && ask.Security >= bid.MinSecurity
        && (ask.Accepted & bid.Currency) != 0
        && (bid.Countries is null || bid.Countries.Contains(ask.CountryIndex))
        && !string.Equals(ask.Supplier, bid.Buyer, StringComparison.Ordinal);

    /// <summary>Finds the best set for the bid among the index's asks; false when none sums to its GPU count.</summary>
    internal bool Find(BidEntry bid, AskIndex index, long nowTicks)
    {
        ChosenCount = 0;
        var gpus = Collect(bid, index, nowTicks);
        if (gpus < bid.Gpus || !Solve(bid.Gpus)) return false;
        if (!bid.SingleSupplier || OneSupplier()) return true;
        // The best set overall mixes suppliers: search each supplier's own asks (all of them, not only the overall
        // candidates, since a supplier's set may need asks beyond the first ⌊G/g⌋ of a ladder).
        return FindSingleSupplier(bid, index, nowTicks);
    }

    private int Collect(BidEntry bid, AskIndex index, long nowTicks)
    {
        var want = bid.Gpus;
        var maxGpus = Math.Min(want, MarketLimits.MaxGpusPerDevice);
        var n = 0;
        var total = 0;
        Array.Clear(_count);
        for (var g = 1; g <= maxGpus; g++)
        {
            _start[g] = n;
            var ladder = index.Bucket(g);
            if (ladder is null) continue;
            var need = want / g;
            var got = 0;
            for (var l = 0; l < ladder.LevelCount && got < need; l++)
            {
                var level = ladder.LevelAt(l);
                if (level.Key > bid.MaxPrice) break;
                for (var e = level.Head; e is not null; e = ladder.Next(e))
                {
                    var ask = Unsafe.As<AskEntry>(e);
                    if (!Fits(ask, bid, nowTicks)) continue;
                    _candidates[n++] = ask;
                    if (++got == need) break;
                }
            }
            _count[g] = got;
            total += got * g;
        }
        _n = n;
        return total;
    }

    /// <summary>The grouped knapsack over the laid-out candidates; fills Chosen (earliest first) on success.</summary>
    private bool Solve(int want)
    {
        var n = _n;
        for (var i = 0; i < n; i++)
        {
            _sortKeys[i] = _candidates[i].Priority;
            _byRank[i] = i;
        }
        Array.Sort(_sortKeys, _byRank, 0, n);
        for (var r = 0; r < n; r++) _rankOf[_byRank[r]] = r;

        var cost = _cost;
        var mask = _mask;
        var nextCost = _nextCost;
        var nextMask = _nextMask;
        cost[0] = 0;
        mask[0] = default;
        var reach = 0;
        for (var g = 1; g < Buckets; g++)
        {
            var count = _count[g];
            if (count == 0) continue;
            var start = _start[g];
            var newReach = Math.Min(want, reach + count * g);
            Array.Copy(cost, nextCost, reach + 1);
            Array.Copy(mask, nextMask, reach + 1);
            for (var j = reach + 1; j <= newReach; j++) nextCost[j] = Unreachable;

            ulong prefixCost = 0;
            RankMask prefixMask = default;
            for (var k = 1; k <= count; k++)
            {
                var index = start + k - 1;
                prefixCost = checked(prefixCost + _candidates[index].Price * (ulong)g);
                prefixMask.Set(_rankOf[index]);
                var shift = k * g;
                var high = Math.Min(newReach, reach + shift);
                for (var j = shift; j <= high; j++)
                {
                    var from = cost[j - shift];
                    if (from == Unreachable) continue;
                    var c = checked(from + prefixCost);
                    var current = nextCost[j];
                    if (c > current) continue;
                    var m = mask[j - shift] | prefixMask;
                    if (c == current && !m.IsGreaterThan(nextMask[j])) continue;
                    nextCost[j] = c;
                    nextMask[j] = m;
                }
            }
            (cost, nextCost) = (nextCost, cost);
            (mask, nextMask) = (nextMask, mask);
            reach = newReach;
        }
        _cost = cost;
        _nextCost = nextCost;
        _mask = mask;
        _nextMask = nextMask;
        if (reach < want || cost[want] == Unreachable) return false;

        var best = mask[want];
        var chosen = 0;
        for (var r = 0; r < n; r++)
            if (best.Has(r)) _chosen[chosen++] = _candidates[_byRank[r]];
        ChosenCount = chosen;
        ChosenPerHour = cost[want];
        return true;
    }

    private bool OneSupplier()
    {
        var supplier = _chosen[0].Supplier;
        for (var i = 1; i < ChosenCount; i++)
            if (!string.Equals(_chosen[i].Supplier, supplier, StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>
    /// Single supplier: every eligible ask within the price is grouped by supplier (each keeping its first ⌊G/g⌋ per
    /// ladder), then each supplier with enough GPUs is solved alone, cheapest GPU first, until a supplier's cheapest
    /// GPU × G exceeds the best set found; the best wins by cost, then by the earliest ask (the suppliers' sets are
    /// disjoint). The scan is O(eligible asks of the model or class within the bid's price): the slow path.
    /// </summary>
    private bool FindSingleSupplier(BidEntry bid, AskIndex index, long nowTicks)
    {
        var want = bid.Gpus;
        _groups.Clear();
        _groupsUsed = 0;
        var maxGpus = Math.Min(want, MarketLimits.MaxGpusPerDevice);
        for (var g = 1; g <= maxGpus; g++)
        {
            var ladder = index.Bucket(g);
            if (ladder is null) continue;
            var need = want / g;
            for (var l = 0; l < ladder.LevelCount; l++)
            {
                var level = ladder.LevelAt(l);
                if (level.Key > bid.MaxPrice) break;
                for (var e = level.Head; e is not null; e = ladder.Next(e))
                {
                    var ask = Unsafe.As<AskEntry>(e);
                    if (!Fits(ask, bid, nowTicks)) continue;
                    if (!_groups.TryGetValue(ask.Supplier, out var group))
                    {
                        group = RentGroup();
                        _groups.Add(ask.Supplier, group);
                    }
                    group.Add(ask, g, need);
                }
            }
        }

        // Cheapest GPU first: a supplier's set costs at least its cheapest price × G, so once that exceeds the best
        // found, no later supplier can win.
        _viable.Clear();
        foreach (var group in _groups.Values)
            if (group.Gpus >= want) _viable.Add(group);
        _viable.Sort(SupplierGroup.ByMinPrice);
        var bestCount = 0;
        var bestCost = ulong.MaxValue;
        foreach (var group in _viable)
        {
            if (bestCount > 0 && checked(group.MinPrice * (ulong)want) > bestCost) break;
            group.CopyTo(_candidates, _start, _count, out _n);
            if (!Solve(want)) continue;
            if (bestCount > 0 && (ChosenPerHour > bestCost
                || (ChosenPerHour == bestCost && _chosen[0].Priority > _best[0].Priority))) continue;
            (_best, _chosen) = (_chosen, _best);
            bestCount = ChosenCount;
            bestCost = ChosenPerHour;
        }
        _viable.Clear();
        if (bestCount == 0)
        {
            ChosenCount = 0;
            return false;
        }
        (_best, _chosen) = (_chosen, _best);
        ChosenCount = bestCount;
        ChosenPerHour = bestCost;
        return true;
    }

    private SupplierGroup RentGroup()
    {
        if (_groupsUsed == _groupPool.Count) _groupPool.Add(new SupplierGroup());
        var group = _groupPool[_groupsUsed++];
        group.Reset();
        return group;
    }

    /// <summary>One supplier's candidates, laid out per GPU-count bucket like the search's own.</summary>
    private sealed class SupplierGroup
    {
        internal static readonly Comparison<SupplierGroup> ByMinPrice = (x, y) => x.MinPrice.CompareTo(y.MinPrice);

        private readonly AskEntry[] _asks = new AskEntry[MaxCandidates];
        private readonly int[] _start = new int[Buckets];
        private readonly int[] _count = new int[Buckets];
        private int _n;

        internal int Gpus { get; private set; }

        internal ulong MinPrice { get; private set; }

        internal void Reset()
        {
            Array.Clear(_count);
            _n = 0;
            Gpus = 0;
            MinPrice = ulong.MaxValue;
        }

        internal void Add(AskEntry ask, int gpus, int need)
        {
            if (_count[gpus] == need) return;
            if (_count[gpus] == 0) _start[gpus] = _n;
            _asks[_n++] = ask;
            _count[gpus]++;
            Gpus += gpus;
            MinPrice = Math.Min(MinPrice, ask.Price);
        }

        internal void CopyTo(AskEntry[] asks, int[] start, int[] count, out int n)
        {
            Array.Copy(_asks, asks, _n);
            Array.Copy(_start, start, Buckets);
            Array.Copy(_count, count, Buckets);
            n = _n;
        }
    }

    /// <summary>A set of candidate time ranks, rank 0 (the earliest ask) as the most significant bit.</summary>
    private struct RankMask
    {
        private ulong _w0, _w1, _w2, _w3;

        internal void Set(int rank)
        {
            var bit = 1UL << (63 - (rank & 63));
            switch (rank >> 6)
            {
                case 0: _w0 |= bit; break;
                case 1: _w1 |= bit; break;
                case 2: _w2 |= bit; break;
                default: _w3 |= bit; break;
            }
        }

        internal readonly bool Has(int rank)
        {
            var bit = 1UL << (63 - (rank & 63));
            var word = (rank >> 6) switch { 0 => _w0, 1 => _w1, 2 => _w2, _ => _w3 };
            return (word & bit) != 0;
        }

        /// <summary>True when this set holds the earliest rank of those the two sets differ in (it wins a cost tie).</summary>
        internal readonly bool IsGreaterThan(RankMask other) =>
            _w0 != other._w0 ? _w0 > other._w0
            : _w1 != other._w1 ? _w1 > other._w1
            : _w2 != other._w2 ? _w2 > other._w2
            : _w3 > other._w3;

        public static RankMask operator |(RankMask a, RankMask b) => new()
        {
            _w0 = a._w0 | b._w0, _w1 = a._w1 | b._w1, _w2 = a._w2 | b._w2, _w3 = a._w3 | b._w3,
        };
    }
}
