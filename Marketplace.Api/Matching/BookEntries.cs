using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Matching;

/// <summary>An ask and its device facts, as the engine keeps them (fields for speed on the matching path).</summary>
internal sealed class AskEntry : BookEntry
{
    internal required Guid AskId;
    internal required Guid DeviceId;
    internal required string Supplier;
    internal required string GpuModel;
    internal required string GpuClass;
    internal required int Gpus;
    internal required string Country;
    internal required int CountryIndex;
    internal required ConnectivityTier Connectivity;
    internal required SecurityTier Security;
    internal required ulong Price;
    internal required int MinHours;
    internal required int MaxHours;
    internal required DateTimeOffset AvailableUntil;
    internal required long AvailableUntilTicks;
    internal required PaymentCurrencies Accepted;

    /// <summary>Order of placement in the book, fixed for life (the expiry queue's tie-break).</summary>
    internal required long Placement;

    internal bool Eligible;

    /// <summary>The rental it is hired in; null while in the book.</summary>
    internal RentalEntry? Rental;

    /// <summary>Cancelled while hired: leaves the book when its rental releases it.</summary>
    internal bool Withdrawn;

    /// <summary>In the matchable ladders: eligible and not hired.</summary>
    internal bool Listed;

    /// <summary>The indices of its model and its class (looked up once, at placement).</summary>
    internal AskIndex ModelIndex = null!;
    internal AskIndex ClassIndex = null!;
}

/// <summary>A resting bid.</summary>
internal sealed class BidEntry : BookEntry
{
    internal required Guid BidId;
    internal required string Buyer;
    internal required string? GpuModel;
    internal required string? GpuClass;
    internal required int Gpus;
    internal required ulong MaxPrice;
    internal required int Hours;
    internal required long HoursTicks;
    internal required IReadOnlyList<string> AllowedCountries;

    /// <summary>Null when any country will do.</summary>
    internal required CountrySet? Countries;

    internal required ConnectivityTier MinConnectivity;
    internal required SecurityTier MinSecurity;
    internal required bool SingleSupplier;
    internal required PaymentCurrencies Currency;
    internal required DateTimeOffset ExpiresAt;
    internal required long ExpiresAtTicks;

    /// <summary>True while in the book (not filled, cancelled or expired).</summary>
    internal bool Resting;

    /// <summary>The index of the model or class it names, and the ladder of resting bids it sits in.</summary>
    internal AskIndex Index = null!;
    internal PriceLadder Ladder = null!;
}

/// <summary>An active rental: the devices one fill hired, until released.</summary>
internal sealed class RentalEntry
{
    internal required Guid RentalId;
    internal required Guid BidId;
    internal required string Buyer;
    internal required AskEntry[] Asks;
}
