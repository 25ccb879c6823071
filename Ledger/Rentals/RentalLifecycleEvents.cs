using System.Text.Json.Serialization;
using IoNet.Ledger.Market;

namespace IoNet.Ledger.Rentals;

// A rental's life in the marketplace (a "cluster"): one stream per rental, key = the rental Guid as 32 lower-case hex
// digits (the id memos and RentalFunded.Rental write). Marketplace events, not chain events: each carries the time it
// happened. The chain's RentalFunded / RentalSettled / RentalRefunded (RentalEvents.cs) are the money; these are the
// decisions. Amounts are integers: USD in micro-USD, payments in base units of the rental's currency.

/// <summary>
/// A bid was filled: the devices are hired and the buyer owes <see cref="AmountDue"/> base units of
/// <see cref="Currency"/> (price × hours + the buyer's fee, converted at <see cref="IoRateMicroUsd"/> for IO; fixed for
/// the rental's life) before <see cref="PaymentDeadline"/>.
/// </summary>
public sealed record RentalMatched(
    Guid Rental, Guid Bid, string Buyer, int GpuCount, int Hours, PaymentCurrencies Currency,
    IReadOnlyList<RentalDevice> Devices, ulong PerHourMicroUsd, ulong SubtotalMicroUsd, ulong BuyerFeeMicroUsd,
    ulong TotalMicroUsd, ulong? IoRateMicroUsd, ulong AmountDue, DateTimeOffset PaymentDeadline, DateTimeOffset At);

/// <summary>
/// One hired device: its ask, its supplier's price per GPU-hour (micro-USD) and the ask's terms an extension must
/// respect (the longest rental it takes and until when the device is available).
/// </summary>
public sealed record RentalDevice(
    Guid Ask, Guid Device, string Supplier, string GpuModel, int GpuCount, ulong PricePerGpuHour, int MaxHours,
    DateTimeOffset AvailableUntil);

/// <summary>
/// A payment into an escrow vault for this rental was seen on the ledger (the indexer's RentalFunded at
/// <see cref="Signature"/>/<see cref="Path"/>, into the token account <see cref="Vault"/>). <see cref="Counted"/> is
/// false for a mint other than the rental's (or a vault other than that mint's escrow vault): it never pays anything
/// and is refunded, in its own mint, at settlement.
/// </summary>
public sealed record RentalPaymentReceived(
    Guid Rental, string Signature, string Path, string Payer, string Mint, string Vault, ulong Amount, bool Counted, DateTimeOffset At);

/// <summary>The rental was paid in full: its time starts now and runs until <see cref="EndsAt"/>.</summary>
public sealed record RentalActivated(Guid Rental, ulong Funded, DateTimeOffset EndsAt, DateTimeOffset At);

/// <summary>The buyer asked for <see cref="Hours"/> more hours at the same prices; due once <see cref="AmountDue"/> more is paid.</summary>
public sealed record RentalExtensionRequested(
    Guid Rental, Guid Extension, int Hours, ulong SubtotalMicroUsd, ulong BuyerFeeMicroUsd, ulong TotalMicroUsd,
    ulong AmountDue, DateTimeOffset PaymentDeadline, DateTimeOffset At);

/// <summary>An extension was paid: the rental's booked hours grew by <see cref="Hours"/> and it now ends at <see cref="EndsAt"/>.</summary>
public sealed record RentalExtended(Guid Rental, Guid Extension, int Hours, DateTimeOffset EndsAt, DateTimeOffset At);

/// <summary>An extension was not paid in time; whatever was paid for it is refunded at settlement.</summary>
public sealed record RentalExtensionLapsed(Guid Rental, Guid Extension, DateTimeOffset At);

/// <summary>The rental was not paid within its window: its devices go back to the book; any partial payment is refunded.</summary>
public sealed record RentalLapsed(Guid Rental, ulong Funded, DateTimeOffset At);

/// <summary>
/// An active rental is over: its booked time ran out (<see cref="RentalEndReason.Completed"/>) or it stopped early for
/// <see cref="Reason"/>. Its devices go back to the book; settlement pays the suppliers for the time used.
/// </summary>
public sealed record RentalEnded(Guid Rental, RentalEndReason Reason, string By, DateTimeOffset At);

/// <summary>A hired device stopped serving (down, failed, its supplier unavailable): settlement does not pay the span.</summary>
public sealed record RentalDeviceUnavailable(Guid Rental, Guid Device, string Reason, DateTimeOffset At);

/// <summary>A hired device serves again.</summary>
public sealed record RentalDeviceAvailable(Guid Rental, Guid Device, DateTimeOffset At);

/// <summary>Where a rental is in its life. Numbers are stored: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RentalStatus>))]
public enum RentalStatus
{
    /// <summary>Matched; the devices are reserved until the payment window closes.</summary>
    AwaitingPayment = 1,

    /// <summary>Paid; the devices work for the buyer until the booked time runs out.</summary>
    Active = 2,

    /// <summary>The booked time ran out. Waits for settlement.</summary>
    Completed = 3,

    /// <summary>Ended early (by the buyer, an unavailable supplier, a failed device). Waits for settlement.</summary>
    Terminated = 4,

    /// <summary>Never paid in time. Waits for settlement only if something was paid (a refund).</summary>
    Lapsed = 5,

    /// <summary>Suppliers paid and the rest refunded (the settlement issue appends the event that sets this).</summary>
    Settled = 6,
}

/// <summary>Why an active rental ended. Numbers are stored: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RentalEndReason>))]
public enum RentalEndReason
{
    /// <summary>The booked hours ran out.</summary>
    Completed = 1,

    /// <summary>The buyer ended it early.</summary>
    BuyerEnded = 2,

    /// <summary>A supplier stopped serving the rental.</summary>
    SupplierUnavailable = 3,

    /// <summary>A device failed.</summary>
    DeviceFailed = 4,
}
