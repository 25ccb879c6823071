using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Matching;

/// <summary>The set the engine would hire for a bid, found without placing anything (quotes).</summary>
public sealed record QuoteResult(IReadOnlyList<HiredDevice> Devices, ulong TotalPerHour);

/// <summary>Questions asked without changing the book: quotes, and a wallet's own orders.</summary>
public sealed partial class OrderBookEngine
{
    /// <summary>
    /// The cheapest set of asks a bid with these terms would fill with at <paramref name="now"/> (the matching rule, with
    /// no buyer to exclude unless <paramref name="buyer"/> is given, and no price cap unless <paramref name="maxPricePerGpuHour"/>
    /// is): null when none fits. Nothing is placed, hired or journaled; the answer is only good until the book changes.
    /// </summary>
    public QuoteResult? Quote(
        string? gpuModel, string? gpuClass, int gpuCount, int hours, IReadOnlyList<string> allowedCountries,
        ConnectivityTier minConnectivity, SecurityTier minSecurity, bool singleSupplier, PaymentCurrencies currency,
        DateTimeOffset now, string buyer = "", ulong maxPricePerGpuHour = MarketLimits.MaxPricePerGpuHour)
    {
        ArgumentNullException.ThrowIfNull(allowedCountries);
        if (string.IsNullOrEmpty(gpuModel) == string.IsNullOrEmpty(gpuClass)
            || gpuCount is < 1 or > MarketLimits.MaxGpusPerBid || hours is < 1 or > MarketLimits.MaxHours)
            return null;
        var index = gpuModel is not null
            ? _asksByModel.GetValueOrDefault(gpuModel)
            : _asksByClass.GetValueOrDefault(gpuClass!);
        if (index is null || index.OrderCount == 0)
            return null;
        CountrySet? countries = null;
        if (allowedCountries.Count > 0)
        {
            countries = new CountrySet();
            foreach (var code in allowedCountries)
            {
                var at = code is null ? -1 : CountrySet.IndexOfAnyCase(code);
                if (at < 0) return null;
                countries.Add(at);
            }
        }
        var probe = new BidEntry
        {
            BidId = Guid.Empty, Buyer = buyer, GpuModel = gpuModel, GpuClass = gpuClass, Gpus = gpuCount,
            MaxPrice = maxPricePerGpuHour, Hours = hours, HoursTicks = hours * TicksPerHour, AllowedCountries = allowedCountries,
            Countries = countries, MinConnectivity = minConnectivity, MinSecurity = minSecurity, SingleSupplier = singleSupplier,
            Currency = currency, ExpiresAt = DateTimeOffset.MaxValue, ExpiresAtTicks = long.MaxValue,
        };
        if (!_search.Find(probe, index, now.UtcTicks)) return null;
        var chosen = _search.Chosen;
        var devices = new HiredDevice[chosen.Length];
        for (var i = 0; i < chosen.Length; i++)
        {
            var ask = chosen[i];
            devices[i] = new HiredDevice(ask.AskId, ask.DeviceId, ask.Supplier, ask.GpuModel, ask.Gpus, ask.Price);
        }
        return new QuoteResult(devices, _search.ChosenPerHour);
    }

    /// <summary>A wallet's asks (hired ones too) and resting bids, oldest first. A scan of the book: fine for an API page.</summary>
    public (IReadOnlyList<AskView> Asks, IReadOnlyList<BidView> Bids) OrdersOf(string wallet)
    {
        var asks = new List<(long, AskView)>();
        foreach (var ask in _asks.Values)
            if (string.Equals(ask.Supplier, wallet, StringComparison.Ordinal)) asks.Add((ask.Placement, View(ask)));
        var bids = new List<BidView>();
        foreach (var bid in _bids.Values)
            if (string.Equals(bid.Buyer, wallet, StringComparison.Ordinal)) bids.Add(View(bid));
        asks.Sort((x, y) => x.Item1.CompareTo(y.Item1));
        bids.Sort((x, y) => x.TimePriority.CompareTo(y.TimePriority));
        return (asks.ConvertAll(a => a.Item2), bids);
    }

    /// <summary>The ask of a device (matchable, ineligible, hired, or withdrawn while hired); null when it has none.</summary>
    public AskView? FindAskOfDevice(Guid deviceId) =>
        _devices.TryGetValue(deviceId, out var ask) ? View(ask) : null;

    /// <summary>The rentals whose devices the book holds (filled, not yet released).</summary>
    public IReadOnlyList<Guid> ActiveRentalIds() => [.. _rentals.Keys];
}
