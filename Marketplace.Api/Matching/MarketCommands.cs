using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Matching;

/// <summary>
/// A command to the order book. Every command carries the time it is handled at (the engine reads no clock); that
/// time becomes the <c>At</c> of the events it causes. The host should hand the engine a clock that does not go back.
/// </summary>
public interface IMarketCommand
{
    DateTimeOffset Now { get; }
}

/// <summary>
/// Offer a whole device for hire. The device facts (supplier, GPU model and its catalogue class, GPU count, country,
/// tiers, eligibility) are filled by the caller from the device registry when the command is dequeued, so the engine
/// stays pure. <paramref name="PricePerGpuHour"/> is micro-USD; the device takes rentals of
/// <paramref name="MinHours"/> to <paramref name="MaxHours"/> hours ending by <paramref name="AvailableUntil"/>, paid
/// in any of <paramref name="AcceptedCurrencies"/> (at least one).
/// </summary>
public sealed record PlaceAsk(
    Guid AskId, Guid DeviceId, string Supplier,
    string GpuModel, string GpuClass, int GpuCount, string Country,
    ConnectivityTier Connectivity, SecurityTier Security, bool Eligible,
    ulong PricePerGpuHour, int MinHours, int MaxHours, DateTimeOffset AvailableUntil,
    PaymentCurrencies AcceptedCurrencies, DateTimeOffset Now) : IMarketCommand;

/// <summary>
/// Ask for <paramref name="GpuCount"/> GPUs of one model or of one class (set exactly one of
/// <paramref name="GpuModel"/> and <paramref name="GpuClass"/>) for <paramref name="Hours"/> hours, at most
/// <paramref name="MaxPricePerGpuHour"/> micro-USD per GPU-hour. <paramref name="AllowedCountries"/>: ISO 3166
/// alpha-2 codes, empty for anywhere. The bid fills at once if it can, otherwise rests until
/// <paramref name="ExpiresAt"/> (which must be after <paramref name="Now"/>).
/// </summary>
public sealed record PlaceBid(
    Guid BidId, string Buyer, string? GpuModel, string? GpuClass, int GpuCount,
    ulong MaxPricePerGpuHour, int Hours, IReadOnlyList<string> AllowedCountries,
    ConnectivityTier MinConnectivity, SecurityTier MinSecurity, bool SingleSupplier,
    PaymentCurrencies Currency, DateTimeOffset ExpiresAt, DateTimeOffset Now) : IMarketCommand;

/// <summary>Withdraw an ask or a bid; only its owner (the supplier or the buyer) may.</summary>
public sealed record CancelOrder(Guid OrderId, string Wallet, DateTimeOffset Now) : IMarketCommand;

/// <summary>
/// The device registry decided that a device may (or may no longer) be hired. Its ask, if it has one, is matched
/// only while eligible.
/// </summary>
public sealed record ChangeDeviceEligibility(Guid DeviceId, bool Eligible, DateTimeOffset Now) : IMarketCommand;

/// <summary>
/// A rental is over (ended, or its payment window passed): its devices return to the book (those whose ask was not
/// withdrawn meanwhile), and resting bids are tried against them.
/// </summary>
public sealed record ReleaseDevices(Guid RentalId, DateTimeOffset Now) : IMarketCommand;

/// <summary>Let time pass: resting bids whose expiry and asks whose availability has come leave the book.</summary>
public sealed record AdvanceClock(DateTimeOffset Now) : IMarketCommand;
