namespace IoNet.Marketplace.Matching;

/// <summary>Read-only questions the API and the explorer ask of the book (market data, lookups, snapshots).</summary>
public sealed partial class OrderBookEngine
{
    /// <summary>The cheapest matchable ask of a GPU model (micro-USD per GPU-hour), any device size; null if none.</summary>
    public ulong? BestAskPrice(string gpuModel) => BestAsk(_asksByModel, gpuModel);

    /// <summary>The cheapest matchable ask of any model in a GPU class; null if none.</summary>
    public ulong? BestClassAskPrice(string gpuClass) => BestAsk(_asksByClass, gpuClass);

    /// <summary>The highest maximum price of the resting bids that name this GPU model; null if none.</summary>
    public ulong? BestBidPrice(string gpuModel) => BestBid(_bidsByModel, gpuModel);

    /// <summary>The highest maximum price of the resting bids that name this GPU class; null if none.</summary>
    public ulong? BestClassBidPrice(string gpuClass) => BestBid(_bidsByClass, gpuClass);

    /// <summary>The GPU-weighted mean price per GPU-hour of this model's devices in its latest fill; null if never.</summary>
    public ulong? LastFillPrice(string gpuModel) =>
        _lastFillPrice.TryGetValue(gpuModel, out var price) ? price : null;

    /// <summary>The GPU models with matchable asks or resting bids, in ordinal order.</summary>
    public IReadOnlyList<string> GpuModels()
    {
        var models = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (model, index) in _asksByModel)
            if (index.OrderCount > 0) models.Add(model);
        foreach (var (model, ladder) in _bidsByModel)
            if (ladder.OrderCount > 0) models.Add(model);
        return [.. models];
    }

    /// <summary>
    /// Up to <paramref name="maxLevels"/> price levels of each side for a GPU model: matchable asks (all device sizes
    /// together) cheapest first, and the resting bids naming the model, dearest first (bids count the GPUs asked for).
    /// </summary>
    public MarketDepth Depth(string gpuModel, int maxLevels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLevels);
        var asks = new SortedDictionary<ulong, (int Orders, int Gpus)>();
        if (_asksByModel.TryGetValue(gpuModel, out var index))
        {
            for (var g = 1; g <= MarketLimits.MaxGpusPerDevice; g++)
            {
                var ladder = index.Bucket(g);
                if (ladder is null) continue;
                for (var l = 0; l < ladder.LevelCount && l < maxLevels; l++)
                {
                    var level = ladder.LevelAt(l);
                    asks[level.Key] = asks.TryGetValue(level.Key, out var sum)
                        ? (sum.Orders + level.Count, sum.Gpus + level.Gpus)
                        : (level.Count, level.Gpus);
                }
            }
        }
        var askLevels = new List<DepthLevel>();
        foreach (var (price, sum) in asks)
        {
            if (askLevels.Count == maxLevels) break;
            askLevels.Add(new DepthLevel(price, sum.Orders, sum.Gpus));
        }
        var bidLevels = new List<DepthLevel>();
        if (_bidsByModel.TryGetValue(gpuModel, out var bids))
        {
            for (var l = 0; l < bids.LevelCount && l < maxLevels; l++)
            {
                var level = bids.LevelAt(l);
                bidLevels.Add(new DepthLevel(ulong.MaxValue - level.Key, level.Count, level.Gpus));
            }
        }
        return new MarketDepth(gpuModel, askLevels, bidLevels);
    }

    /// <summary>An ask in the book (matchable, ineligible or hired); null if there is none by that id.</summary>
    public AskView? FindAsk(Guid askId) => _asks.TryGetValue(askId, out var ask) ? View(ask) : null;

    /// <summary>A resting bid; null if there is none by that id (filled, cancelled, expired or unknown).</summary>
    public BidView? FindBid(Guid bidId) => _bids.TryGetValue(bidId, out var bid) ? View(bid) : null;

    /// <summary>An active rental; null once released (or if unknown).</summary>
    public RentalView? FindRental(Guid rentalId) => _rentals.TryGetValue(rentalId, out var rental) ? View(rental) : null;

    /// <summary>The whole book in canonical order, comparable by value (for "rebuilt equals before").</summary>
    public BookSnapshot Snapshot()
    {
        var asks = new List<AskView>(_devices.Count);
        foreach (var ask in _devices.Values) asks.Add(View(ask));
        asks.Sort((x, y) => x.AskId != y.AskId ? x.AskId.CompareTo(y.AskId) : x.DeviceId.CompareTo(y.DeviceId));
        var bids = new List<BidView>(_bids.Count);
        foreach (var bid in _bids.Values) bids.Add(View(bid));
        bids.Sort((x, y) => x.BidId.CompareTo(y.BidId));
        var rentals = new List<RentalView>(_rentals.Count);
        foreach (var rental in _rentals.Values) rentals.Add(View(rental));
        rentals.Sort((x, y) => x.RentalId.CompareTo(y.RentalId));
        var prices = new List<KeyValuePair<string, ulong>>(_lastFillPrice);
        prices.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        return new BookSnapshot(asks, bids, rentals, prices, _sequence);
    }

    private static ulong? BestAsk(Dictionary<string, AskIndex> indices, string key)
    {
        if (!indices.TryGetValue(key, out var index)) return null;
        ulong? best = null;
        for (var g = 1; g <= MarketLimits.MaxGpusPerDevice; g++)
        {
            var ladder = index.Bucket(g);
            if (ladder is { LevelCount: > 0 } && (best is null || ladder.LevelAt(0).Key < best))
                best = ladder.LevelAt(0).Key;
        }
        return best;
    }

    private static ulong? BestBid(Dictionary<string, PriceLadder> ladders, string key) =>
        ladders.TryGetValue(key, out var ladder) && ladder.LevelCount > 0 ? ulong.MaxValue - ladder.LevelAt(0).Key : null;

    private static AskView View(AskEntry a) => new(
        a.AskId, a.DeviceId, a.Supplier, a.GpuModel, a.GpuClass, a.Gpus, a.Country, a.Connectivity, a.Security,
        a.Eligible, a.Price, a.MinHours, a.MaxHours, a.AvailableUntil, a.Accepted, a.Rental?.RentalId, a.Withdrawn,
        a.Listed ? a.Priority : null);

    private static BidView View(BidEntry b) => new(
        b.BidId, b.Buyer, b.GpuModel, b.GpuClass, b.Gpus, b.MaxPrice, b.Hours, b.AllowedCountries, b.MinConnectivity,
        b.MinSecurity, b.SingleSupplier, b.Currency, b.ExpiresAt, b.Priority);

    private static RentalView View(RentalEntry r)
    {
        var devices = new Guid[r.Asks.Length];
        for (var i = 0; i < devices.Length; i++) devices[i] = r.Asks[i].DeviceId;
        return new RentalView(r.RentalId, r.BidId, r.Buyer, devices);
    }
}
