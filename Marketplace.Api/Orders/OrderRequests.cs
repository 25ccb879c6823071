using System.ComponentModel.DataAnnotations;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Quotes;

namespace IoNet.Marketplace.Orders;

public sealed record PlaceAskRequest
{
    /// <summary>A device the signed-in wallet registered (it must have GPUs).</summary>
    [Required]
    public Guid? DeviceId { get; init; }

    /// <summary>Price per GPU-hour in micro-USD (1 USD = 1,000,000).</summary>
    [Required, Range(1UL, MarketLimits.MaxPricePerGpuHour)]
    public ulong? PricePerGpuHour { get; init; }

    [Range(1, MarketLimits.MaxHours)]
    public int MinHours { get; init; } = 1;

    [Required, Range(1, MarketLimits.MaxHours)]
    public int? MaxHours { get; init; }

    /// <summary>Until when the device may be hired (a rental must end by then).</summary>
    [Required]
    public DateTimeOffset? AvailableUntil { get; init; }

    /// <summary>The currencies the supplier accepts: any of Usdc, Iosd, Io (at least one).</summary>
    [Required, MinLength(1), MaxLength(3)]
    public List<PaymentCurrencies>? Currencies { get; init; }

    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, string[]>();
        if (MaxHours < MinHours)
            errors["MaxHours"] = ["MaxHours must be at least MinHours."];
        if (Currencies?.Any(c => c is not (PaymentCurrencies.Usdc or PaymentCurrencies.Iosd or PaymentCurrencies.Io)) == true)
            errors["Currencies"] = ["Each currency is one of Usdc, Iosd, Io."];
        return errors;
    }

    public PaymentCurrencies Accepted => Currencies!.Aggregate(PaymentCurrencies.None, (all, c) => all | c);
}

public sealed record PlaceBidRequest
{
    /// <summary>A GPU model of GET /api/hardware; or leave it out and name a class.</summary>
    [StringLength(40, MinimumLength = 1)]
    public string? GpuModel { get; init; }

    /// <summary>A GPU class of the catalogue (datacenter, workstation, consumer): any model of it will do.</summary>
    [StringLength(40, MinimumLength = 1)]
    public string? GpuClass { get; init; }

    [Required, Range(1, MarketLimits.MaxGpusPerBid)]
    public int? GpuCount { get; init; }

    /// <summary>The most the buyer pays per GPU-hour, micro-USD; each supplier is paid its own (lower or equal) price.</summary>
    [Required, Range(1UL, MarketLimits.MaxPricePerGpuHour)]
    public ulong? MaxPricePerGpuHour { get; init; }

    [Required, Range(1, MarketLimits.MaxHours)]
    public int? Hours { get; init; }

    /// <summary>ISO 3166-1 alpha-2 codes; none: anywhere.</summary>
    [MaxLength(MarketLimits.MaxAllowedCountries)]
    public List<string> Countries { get; init; } = [];

    public ConnectivityTier MinConnectivity { get; init; } = ConnectivityTier.Low;

    public SecurityTier MinSecurity { get; init; } = SecurityTier.Standard;

    /// <summary>All devices from one supplier.</summary>
    public bool SingleSupplier { get; init; }

    /// <summary>What the buyer pays with: Usdc, Iosd or Io.</summary>
    [Required]
    public PaymentCurrencies? Currency { get; init; }

    /// <summary>How long the bid may rest unfilled (default 60, at most Marketplace:Market:MaxBidLifetime).</summary>
    [Range(1, 525_600)]
    public int ExpiresInMinutes { get; init; } = 60;

    public Dictionary<string, string[]> Errors(Devices.HardwareCatalogue catalogue, MarketSettings settings)
    {
        var errors = new Dictionary<string, string[]>();
        if ((GpuModel is null) == (GpuClass is null))
            errors["GpuModel"] = ["Name either a GPU model or a GPU class, not both and not neither."];
        else if (GpuModel is not null && catalogue.Gpu(GpuModel) is null)
            errors["GpuModel"] = [$"'{GpuModel}' is not a GPU model of the catalogue (GET /api/hardware)."];
        else if (GpuClass is not null && !catalogue.IsGpuClass(GpuClass))
            errors["GpuClass"] = [$"'{GpuClass}' is not a GPU class of the catalogue (GET /api/hardware)."];
        if (Countries.Any(c => c is null || c.Length != 2 || !c.All(char.IsAsciiLetter)))
            errors["Countries"] = ["Each country is an ISO 3166-1 alpha-2 code, e.g. DE."];
        if (Currency is not null and not (PaymentCurrencies.Usdc or PaymentCurrencies.Iosd or PaymentCurrencies.Io))
            errors["Currency"] = ["The currency is one of Usdc, Iosd, Io."];
        if (TimeSpan.FromMinutes(ExpiresInMinutes) > settings.MaxBidLifetime)
            errors["ExpiresInMinutes"] = [$"A bid rests at most {settings.MaxBidLifetime.TotalMinutes:0} minutes."];
        return errors;
    }
}

/// <summary>An ask as its supplier sees it. Status: Listed (matchable), Ineligible (waits unmatched), Hired, Withdrawn (cancelled while hired).</summary>
public sealed record AskOrderView(
    Guid Id, Guid DeviceId, string Supplier, string GpuModel, string GpuClass, int GpuCount, string Country,
    ConnectivityTier Connectivity, SecurityTier Security, ulong PricePerGpuHour, int MinHours, int MaxHours,
    DateTimeOffset AvailableUntil, IReadOnlyList<string> Currencies, string Status, Guid? RentalId)
{
    public static AskOrderView Of(AskView a) => new(
        a.AskId, a.DeviceId, a.Supplier, a.GpuModel, a.GpuClass, a.GpuCount, a.Country, a.Connectivity, a.Security,
        a.PricePerGpuHour, a.MinHours, a.MaxHours, a.AvailableUntil, CurrencyNames(a.AcceptedCurrencies),
        a.Withdrawn ? "Withdrawn" : a.RentalId is not null ? "Hired" : a.Eligible ? "Listed" : "Ineligible", a.RentalId);

    public static IReadOnlyList<string> CurrencyNames(PaymentCurrencies set) =>
        new[] { PaymentCurrencies.Usdc, PaymentCurrencies.Iosd, PaymentCurrencies.Io }.Where(c => set.HasFlag(c)).Select(PaymentCurrency.Symbol).ToList();
}

/// <summary>A bid: Resting until it expires, or Filled with the rental it created.</summary>
public sealed record BidOrderView(
    Guid Id, string Buyer, string? GpuModel, string? GpuClass, int GpuCount, ulong MaxPricePerGpuHour, int Hours,
    IReadOnlyList<string> Countries, ConnectivityTier MinConnectivity, SecurityTier MinSecurity, bool SingleSupplier,
    string Currency, DateTimeOffset? ExpiresAt, string Status, Guid? RentalId)
{
    public static BidOrderView Of(BidView b) => new(
        b.BidId, b.Buyer, b.GpuModel, b.GpuClass, b.GpuCount, b.MaxPricePerGpuHour, b.Hours, b.AllowedCountries,
        b.MinConnectivity, b.MinSecurity, b.SingleSupplier, PaymentCurrency.Symbol(b.Currency), b.ExpiresAt, "Resting", null);

    public static BidOrderView Filled(BidPlaced b, Guid rental) => new(
        b.BidId, b.Buyer, b.GpuModel, b.GpuClass, b.GpuCount, b.MaxPricePerGpuHour, b.Hours, b.AllowedCountries,
        b.MinConnectivity, b.MinSecurity, b.SingleSupplier, PaymentCurrency.Symbol(b.Currency), null, "Filled", rental);
}

/// <summary>A wallet's orders in the book now: its asks (hired ones too) and its resting bids.</summary>
public sealed record MyOrders(IReadOnlyList<AskOrderView> Asks, IReadOnlyList<BidOrderView> Bids);

/// <summary>What a cancel did.</summary>
public sealed record CancelledOrder(Guid Id, OrderSide Side, string Status);

/// <summary>Market data of one GPU model: best prices (micro-USD per GPU-hour), the latest fill, volume, and depth.</summary>
public sealed record ModelMarket(
    string GpuModel, ulong? BestAsk, ulong? BestBid, ulong? LastFillPrice, DateTimeOffset? LastFillAt,
    ulong Volume24hMicroUsd, IReadOnlyList<DepthLevel> Asks, IReadOnlyList<DepthLevel> Bids);

public sealed record MarketSummary(DateTimeOffset At, IReadOnlyList<ModelMarket> Models);
