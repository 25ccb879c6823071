using IoNet.Ledger.Devices;
using IoNet.Marketplace.Rentals;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace IoNet.Marketplace.Orders;

/// <summary>
/// Feeds the device registry's changes into the order book (async daemon, HotCold): after an eligibility or status
/// event the device's ask is made matchable or not to agree with the Device read model (the host reads it, so a
/// replayed event changes nothing). A hired device that goes Down opens an unavailable span on its rental, which
/// settlement does not pay, and back in service closes it; one that Failed (or is Blocked, Unsupported, Inactive)
/// ends the rental as DeviceFailed (SupplierUnavailable).
/// </summary>
public sealed class DeviceMarketFeed : SubscriptionBase
{
    private readonly IServiceProvider _services;

    public DeviceMarketFeed(IServiceProvider services)
    {
        _services = services;
        Name = "device-market";
        IncludeType<DeviceEligibilityChanged>();
        IncludeType<DevicePaused>();
        IncludeType<DeviceResumed>();
        IncludeType<DeviceStatusChanged>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var book = _services.GetRequiredService<OrderBookHost>();
        var rentals = _services.GetRequiredService<RentalStreams>();
        foreach (var device in page.Events.Select(e => e.Data).OfType<object>().Select(DeviceOf).OfType<Guid>().Distinct())
            await book.SendAsync(new RefreshDeviceInput(device), cancellationToken);

        foreach (var changed in page.Events.Select(e => e.Data).OfType<DeviceStatusChanged>())
        {
            var serving = changed.To is DeviceStatus.Idle or DeviceStatus.Hired;
            var servedBefore = changed.From is DeviceStatus.Idle or DeviceStatus.Hired;
            if (serving == servedBefore)
                continue;
            var ask = await book.QueryAsync((engine, _) => engine.FindAskOfDevice(changed.Device), cancellationToken);
            if (ask?.RentalId is not { } rental)
                continue;
            var detail = $"{changed.To}: {changed.Reason}";
            await rentals.ChangeAsync(rental, state => LostFor(changed.To) is { } reason
                ? RentalDecisions.Decide(state, new LoseDevice(changed.Device, reason, detail, changed.At))
                : RentalDecisions.Decide(state, new MarkDeviceServing(changed.Device, serving, detail, changed.At)), cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Failed ends the rental (DeviceFailed); Blocked, Unsupported and Inactive end it too (SupplierUnavailable); Down
    /// (and Paused) only open an unavailable span, which settlement does not pay and which closes when it serves again.
    /// </summary>
    private static Ledger.Rentals.RentalEndReason? LostFor(DeviceStatus to) => to switch
    {
        DeviceStatus.Failed => Ledger.Rentals.RentalEndReason.DeviceFailed,
        DeviceStatus.Blocked or DeviceStatus.Unsupported or DeviceStatus.Inactive => Ledger.Rentals.RentalEndReason.SupplierUnavailable,
        _ => null,
    };

    private static Guid? DeviceOf(object e) => e switch
    {
        DeviceEligibilityChanged c => c.Device,
        DevicePaused p => p.Device,
        DeviceResumed r => r.Device,
        DeviceStatusChanged s => s.Device,
        _ => null,
    };
}
