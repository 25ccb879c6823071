using IoNet.Ledger.Devices;
using IoNet.MarketplaceApi.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Devices;

/// <summary>The store conventions (Quick append) still refuse a decision made on a stale device: load, decide, append is safe.</summary>
public sealed class DeviceStreamConcurrencyTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task of_two_writers_that_loaded_the_same_device_version_the_second_append_is_refused()
    {
        var store = app.Factory.Services.GetRequiredService<IDocumentStore>();
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream<Device>(Device.StreamKey(id),
                new DeviceRegistered(id, "owner", "H100", 1, "EPYC-9654", 64, "DE", "Bonn", ConnectivityTier.High, SecurityTier.Standard, now));
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using var first = store.LightweightSession();
        await using var second = store.LightweightSession();
        var a = await first.Events.FetchForWriting<Device>(Device.StreamKey(id), TestContext.Current.CancellationToken);
        var b = await second.Events.FetchForWriting<Device>(Device.StreamKey(id), TestContext.Current.CancellationToken);

        a.AppendOne(new DevicePaused(id, "owner", DeviceStatus.Idle, now));
        await first.SaveChangesAsync(TestContext.Current.CancellationToken);
        b.AppendOne(new DeviceEligibilityChanged(id, true, "ok", "op", now));

        var refused = await Should.ThrowAsync<Exception>(() => second.SaveChangesAsync(TestContext.Current.CancellationToken));
        (refused is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException).ShouldBeTrue(refused.GetType().FullName);
        await using var query = store.QuerySession();
        var device = await query.LoadAsync<Device>(Device.StreamKey(id), TestContext.Current.CancellationToken);
        device!.Status.ShouldBe(DeviceStatus.Paused);
        device.MarkedEligible.ShouldBeFalse();
    }
}
