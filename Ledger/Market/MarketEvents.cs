using IoNet.Ledger.Devices;

namespace IoNet.Ledger.Market;

/// <summary>
/// An event of the marketplace's order book (Marketplace.Api/Matching). Not a chain event: it carries the time it
/// happened, taken from the command that caused it. Replaying a book's events in order rebuilds the book.
/// </summary>
public interface IMarketEvent
{
    DateTimeOffset At { get; }
}

/// <summary>
/// A supplier offered a whole device for hire: its facts as the device registry knew them when the ask was placed,
/// its price per GPU-hour in micro-USD, the rental lengths it takes and until when it is available.
/// </summary>
public sealed record AskPlaced(
    Guid AskId, Guid DeviceId, string Supplier,
    string GpuModel, string GpuClass, int GpuCount, string Country,
    ConnectivityTier Connectivity, SecurityTier Security, bool Eligible,
    ulong PricePerGpuHour, int MinHours, int MaxHours, DateTimeOffset AvailableUntil,
    PaymentCurrencies AcceptedCurrencies, DateTimeOffset At) : IMarketEvent;

/// <summary>
/// A buyer asked for GPUs: a model or a class (exactly one is set), how many GPUs, the most it pays per GPU-hour in
/// micro-USD, for how many hours, where (no countries: anywhere), the least connectivity and security it takes,
/// whether every device must come from one supplier, the currency it pays in, and until when the bid may rest.
/// </summary>
public sealed record BidPlaced(
    Guid BidId, string Buyer, string? GpuModel, string? GpuClass, int GpuCount,
    ulong MaxPricePerGpuHour, int Hours, IReadOnlyList<string> AllowedCountries,
    ConnectivityTier MinConnectivity, SecurityTier MinSecurity, bool SingleSupplier,
    PaymentCurrencies Currency, DateTimeOffset ExpiresAt, DateTimeOffset At) : IMarketEvent;

/// <summary>
/// The owner withdrew an order. A hired device's ask is withdrawn too: the device stays in its rental and does not
/// return to the book when released.
/// </summary>
public sealed record OrderCancelled(Guid OrderId, OrderSide Side, string Owner, DateTimeOffset At) : IMarketEvent;

/// <summary>
/// A bid was filled, all at once, by whole devices whose GPUs add up to exactly the bid's count: the devices are
/// hired for the rental until it is released. Each supplier is paid its own asked price; TotalPerHour is the sum of
/// price × GPUs over the devices, Total is TotalPerHour × Hours.
/// </summary>
public sealed record BidFilled(
    Guid RentalId, Guid BidId, string Buyer, int GpuCount, int Hours, PaymentCurrencies Currency,
    IReadOnlyList<HiredDevice> Devices, ulong TotalPerHour, ulong Total, DateTimeOffset At) : IMarketEvent;

/// <summary>One device of a fill and what its supplier is paid per GPU-hour (micro-USD).</summary>
public sealed record HiredDevice(
    Guid AskId, Guid DeviceId, string Supplier, string GpuModel, int GpuCount, ulong PricePerGpuHour);

/// <summary>A resting bid reached its expiry unfilled.</summary>
public sealed record BidExpired(Guid BidId, string Buyer, DateTimeOffset At) : IMarketEvent;

/// <summary>An ask reached the end of its device's availability and left the book.</summary>
public sealed record AskExpired(Guid AskId, Guid DeviceId, string Supplier, DateTimeOffset At) : IMarketEvent;

/// <summary>
/// The device behind an ask became eligible for hire (it may be matched) or stopped being eligible (its ask stays in
/// the book but is never matched).
/// </summary>
public sealed record AskEligibilityChanged(Guid AskId, Guid DeviceId, bool Eligible, DateTimeOffset At) : IMarketEvent;

/// <summary>
/// A rental's devices were released (the rental ended, or its payment window passed unpaid): each returns to the book
/// unless its ask was withdrawn meanwhile.
/// </summary>
public sealed record DevicesReleased(Guid RentalId, IReadOnlyList<Guid> DeviceIds, DateTimeOffset At) : IMarketEvent;
