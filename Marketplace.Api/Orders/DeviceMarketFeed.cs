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
/// replayed event changes nothing). A hired device that stops serving (Down, Failed, Blocked, Inactive) opens an
/// unavailable span on its rental, which settlement does not pay; back in service closes it.
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
            await rentals.ChangeAsync(rental, state => RentalDecisions.Decide(state,
                new MarkDeviceServing(changed.Device, serving, $"{changed.To}: {changed.Reason}", changed.At)), cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    private static Guid? DeviceOf(object e) => e switch
    {
        DeviceEligibilityChanged c => c.Device,
        DevicePaused p => p.Device,
        DeviceResumed r => r.Device,
        DeviceStatusChanged s => s.Device,
        _ => null,
    };
}
