using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Matching;

/// <summary>
/// An ask as the book holds it. <paramref name="RentalId"/> is set while its device is hired; <paramref name="Withdrawn"/>
/// when it was cancelled while hired (it leaves the book at release). <paramref name="TimePriority"/> orders asks of
/// equal price (lower is earlier); null while the ask is not matchable (ineligible or hired).
/// </summary>
public sealed record AskView(
    Guid AskId, Guid DeviceId, string Supplier,
    string GpuModel, string GpuClass, int GpuCount, string Country,
    ConnectivityTier Connectivity, SecurityTier Security, bool Eligible,
    ulong PricePerGpuHour, int MinHours, int MaxHours, DateTimeOffset AvailableUntil,
    PaymentCurrencies AcceptedCurrencies, Guid? RentalId, bool Withdrawn, long? TimePriority);

/// <summary>A resting bid. <paramref name="TimePriority"/> orders bids of equal price (lower is earlier).</summary>
public sealed record BidView(
    Guid BidId, string Buyer, string? GpuModel, string? GpuClass, int GpuCount,
    ulong MaxPricePerGpuHour, int Hours, IReadOnlyList<string> AllowedCountries,
    ConnectivityTier MinConnectivity, SecurityTier MinSecurity, bool SingleSupplier,
    PaymentCurrencies Currency, DateTimeOffset ExpiresAt, long TimePriority)
{
    public bool Equals(BidView? other) =>
        other is not null && BidId == other.BidId && Buyer == other.Buyer && GpuModel == other.GpuModel
        && GpuClass == other.GpuClass && GpuCount == other.GpuCount && MaxPricePerGpuHour == other.MaxPricePerGpuHour
        && Hours == other.Hours && AllowedCountries.SequenceEqual(other.AllowedCountries)
        && MinConnectivity == other.MinConnectivity && MinSecurity == other.MinSecurity
        && SingleSupplier == other.SingleSupplier && Currency == other.Currency && ExpiresAt == other.ExpiresAt
        && TimePriority == other.TimePriority;

    public override int GetHashCode() => HashCode.Combine(BidId, TimePriority);
}

/// <summary>An active rental: the devices one fill hired, in the fill's order.</summary>
public sealed record RentalView(Guid RentalId, Guid BidId, string Buyer, IReadOnlyList<Guid> DeviceIds)
{
    public bool Equals(RentalView? other) =>
        other is not null && RentalId == other.RentalId && BidId == other.BidId && Buyer == other.Buyer
        && DeviceIds.SequenceEqual(other.DeviceIds);

    public override int GetHashCode() => RentalId.GetHashCode();
}

/// <summary>One price level of a side of the book: how many orders and GPUs wait there.</summary>
public sealed record DepthLevel(ulong PricePerGpuHour, int Orders, int Gpus);

/// <summary>The best levels of both sides for one GPU model: asks cheapest first, bids dearest first.</summary>
public sealed record MarketDepth(string GpuModel, IReadOnlyList<DepthLevel> Asks, IReadOnlyList<DepthLevel> Bids)
{
    public bool Equals(MarketDepth? other) =>
        other is not null && GpuModel == other.GpuModel && Asks.SequenceEqual(other.Asks) && Bids.SequenceEqual(other.Bids);

    public override int GetHashCode() => GpuModel.GetHashCode(StringComparison.Ordinal);
}

/// <summary>
/// The whole state of a book in a canonical order (asks by ask then device id, bids and rentals by id), comparable by
/// value: a book rebuilt from its events equals the book that wrote them.
/// </summary>
public sealed record BookSnapshot(
    IReadOnlyList<AskView> Asks, IReadOnlyList<BidView> Bids, IReadOnlyList<RentalView> Rentals,
    IReadOnlyList<KeyValuePair<string, ulong>> LastFillPrices, long Sequence)
{
    public bool Equals(BookSnapshot? other) =>
        other is not null && Sequence == other.Sequence && Asks.SequenceEqual(other.Asks)
        && Bids.SequenceEqual(other.Bids) && Rentals.SequenceEqual(other.Rentals)
        && LastFillPrices.SequenceEqual(other.LastFillPrices);

    public override int GetHashCode() => HashCode.Combine(Asks.Count, Bids.Count, Rentals.Count, Sequence);
}
