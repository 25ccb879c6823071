using System.Net;
using IoNet.Ledger.Market;
using IoNet.Ledger.Store;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Orders;
using IoNet.MarketplaceApi.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Orders;

/// <summary>
/// The journal: every accepted order is one event of one stream, in the order the book decided it; two API replicas
/// on one database never fork the book, and a replica started later rebuilds the same book from the journal.
/// </summary>
public sealed class OrderJournalTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<BookSnapshot> SnapshotOf(WebApplicationFactory<Program> replica) =>
        replica.Services.GetRequiredService<OrderBookHost>().QueryAsync((engine, _) => engine.Snapshot(), Ct);

    [Fact]
    public async Task two_replicas_placing_orders_at_once_end_with_the_book_the_journal_rebuilds()
    {
        var replicaB = app.Replica();
        using var op = await Trader.SignInAsync(app, app.Operator);
        var now = app.Clock.GetUtcNow();
        var suppliers = new List<Trader>();
        var devices = new List<(Trader Supplier, Guid Device)>();
        for (var s = 0; s < 4; s++)
        {
            var supplier = await Trader.SignInAsync(app, replica: s % 2 == 0 ? app.Factory : replicaB);
            suppliers.Add(supplier);
            for (var d = 0; d < 5; d++)
            {
                var device = await supplier.RegisterDeviceAsync(d % 2 == 0 ? "H100" : "L40S", 1 + d % 3);
                await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked" });
                devices.Add((supplier, device));
            }
        }
        var buyers = new List<Trader>();
        for (var b = 0; b < 4; b++)
            buyers.Add(await Trader.SignInAsync(app, replica: b % 2 == 0 ? app.Factory : replicaB));

        // Asks and bids from both replicas at once: each replica decides on the book it caught up with.
        var work = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < devices.Count; i++)
            work.Add(devices[i].Supplier.AskAsync(devices[i].Device, 1_000_000 + (ulong)(i * 10_000), now: now));
        for (var i = 0; i < 24; i++)
            work.Add(buyers[i % buyers.Count].BidAsync(i % 2 == 0 ? "H100" : "L40S", 1 + i % 4, 1_050_000 + (ulong)(i * 7_000), hours: 2));
        var responses = await Task.WhenAll(work);
        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
            response.Dispose();
        }

        var store = app.Factory.Services.GetRequiredService<IDocumentStore>();
        IReadOnlyList<JasperFx.Events.IEvent> journal;
        await using (var session = store.QuerySession())
            journal = await session.Events.FetchStreamAsync(LedgerStore.MarketJournalStream, token: Ct);
        journal.Select(e => e.Version).ShouldBe(Enumerable.Range(1, journal.Count).Select(v => (long)v));
        // The class's other test journals on the same book: count this test's orders only.
        var ours = devices.Select(d => d.Device).ToHashSet();
        var ourBuyers = buyers.Select(b => b.Address).ToHashSet();
        journal.Count(e => e.Data is AskPlaced a && ours.Contains(a.DeviceId)).ShouldBe(devices.Count);
        journal.Count(e => e.Data is BidPlaced b && ourBuyers.Contains(b.Buyer)).ShouldBe(24);
        journal.Count(e => e.Data is BidFilled).ShouldBeGreaterThan(0);
        var rebuilt = OrderBookEngine.Rebuild(journal.Select(e => (IMarketEvent)e.Data)).Snapshot();

        (await SnapshotOf(app.Factory)).ShouldBe(rebuilt);
        (await SnapshotOf(replicaB)).ShouldBe(rebuilt);
        // A replica started now rebuilds the same book from the journal.
        var late = app.Replica();
        await late.Services.GetRequiredService<OrderBookHost>().Ready.WaitAsync(Ct);
        (await SnapshotOf(late)).ShouldBe(rebuilt);

        // Every fill has its rental, and each hired device is Hired.
        await using var check = store.QuerySession();
        foreach (var filled in journal.Select(e => e.Data).OfType<BidFilled>())
        {
            var rental = await check.LoadAsync<IoNet.Ledger.Rentals.Rental>(IoNet.Ledger.Rentals.Rental.StreamKey(filled.RentalId), Ct);
            rental.ShouldNotBeNull().Devices.Select(d => d.Device).ShouldBe(filled.Devices.Select(d => d.DeviceId));
            foreach (var hired in filled.Devices)
                (await check.LoadAsync<IoNet.Ledger.Devices.Device>(IoNet.Ledger.Devices.Device.StreamKey(hired.DeviceId), Ct))!
                    .Status.ShouldBe(IoNet.Ledger.Devices.DeviceStatus.Hired);
        }
        foreach (var trader in suppliers.Concat(buyers))
            trader.Dispose();
    }

    [Fact]
    public async Task a_restarted_host_rebuilds_the_same_book_from_the_journal()
    {
        var before = app.Replica();
        using var op = await Trader.SignInAsync(app, app.Operator, before);
        using var supplier = await Trader.SignInAsync(app, replica: before);
        using var buyer = await Trader.SignInAsync(app, replica: before);
        var now = app.Clock.GetUtcNow();
        for (var i = 0; i < 4; i++)
        {
            var device = await supplier.RegisterDeviceAsync("RTX-A6000", 1 + i % 2);
            if (i < 3)
                await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked" });
            await supplier.PlaceAskAsync(device, 700_000 + (ulong)i * 50_000, now: now);
        }
        var filled = await buyer.PlaceBidAsync("RTX-A6000", 2, 800_000, hours: 3);
        filled.GetProperty("status").GetString().ShouldBe("Filled");
        var resting = await buyer.PlaceBidAsync("RTX-A6000", 8, 900_000, hours: 3);
        resting.GetProperty("status").GetString().ShouldBe("Resting");
        using (var cancel = await buyer.Http.DeleteAsync($"/api/orders/{resting.GetProperty("id").GetGuid()}", Ct))
            cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
        await buyer.PlaceBidAsync("RTX-A6000", 1, 600_000, hours: 1);
        var book = await SnapshotOf(before);
        var version = before.Services.GetRequiredService<OrderBookHost>().Version;
        await before.DisposeAsync();

        var after = app.Replica();
        var host = after.Services.GetRequiredService<OrderBookHost>();
        await host.Ready.WaitAsync(Ct);

        host.Version.ShouldBe(version);
        (await SnapshotOf(after)).ShouldBe(book);
    }
}
