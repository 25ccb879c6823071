using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;

namespace IoNet.Marketplace.Orders;

/// <summary>What the order book's host is asked to do; each is decided in queue order, on the host's one thread.</summary>
public abstract record MarketInput;

/// <summary>A command for the engine as it is (cancel, release, advance the clock). Its Now is replaced by the host's clock.</summary>
public sealed record EngineInput(IMarketCommand Command) : MarketInput;

/// <summary>
/// A supplier's ask for one of its devices: the host fills the device's facts (owner, model and class, GPUs, country,
/// tiers, whether it may be hired) from the Device read model when it dequeues it, so the ask and the eligibility
/// changes that follow it are decided in one order.
/// </summary>
public sealed record AskInput(
    Guid AskId, Guid DeviceId, string Wallet, ulong PricePerGpuHour, int MinHours, int MaxHours, DateTimeOffset AvailableUntil,
    PaymentCurrencies AcceptedCurrencies) : MarketInput;

/// <summary>
/// A buyer's bid; <paramref name="ExpiresIn"/> counts from the moment the host decides it.
/// </summary>
public sealed record BidInput(
    Guid BidId, string Buyer, string? GpuModel, string? GpuClass, int GpuCount, ulong MaxPricePerGpuHour, int Hours,
    IReadOnlyList<string> AllowedCountries, Ledger.Devices.ConnectivityTier MinConnectivity, Ledger.Devices.SecurityTier MinSecurity,
    bool SingleSupplier, PaymentCurrencies Currency, TimeSpan ExpiresIn) : MarketInput;

/// <summary>A device's facts changed (eligibility, status): its ask is made matchable or not to agree with them.</summary>
public sealed record RefreshDeviceInput(Guid DeviceId) : MarketInput;

/// <summary>A read of the book, answered in queue order after the journal was caught up.</summary>
public sealed record QueryInput(Func<OrderBookEngine, DateTimeOffset, object?> Query) : MarketInput;

/// <summary>What became of an input: the engine's result (accepted with events, or refused with a reason), or a query's answer.</summary>
public sealed record MarketOutcome(CommandResult Result, object? Answer = null)
{
    public bool Accepted => Result.Accepted;

    public Rejection? Rejection => Result.Rejection;
}
