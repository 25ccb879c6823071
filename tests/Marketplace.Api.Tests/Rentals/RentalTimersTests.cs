using System.Net;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Rentals;
using IoNet.MarketplaceApi.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Rentals;

/// <summary>
/// The rentals' timers through the real API on PostgreSQL: an unpaid rental lapses when its payment window closes and
/// its devices go back to the book, also when the replica that matched it is gone and another one runs the timers.
/// Each test trades its own GPU model; the clock is the test's (tokens follow it).
/// </summary>
public sealed class RentalTimersTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> ShortWindow = new()
    {
        ["Marketplace:Market:PaymentWindow"] = "00:01:00",
        ["Marketplace:Market:TickPeriod"] = "00:00:00.100",
    };

    private async Task<Guid> EligibleDeviceAsync(WebApplicationFactory<Program> replica, Trader supplier, string model, int gpus)
    {
        var device = await supplier.RegisterDeviceAsync(model, gpus);
        using var op = await Trader.SignInAsync(app, app.Operator, replica);
        await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked by hand" });
        return device;
    }

    [Fact]
    public async Task an_unpaid_rental_lapses_after_its_window_and_its_devices_return_to_the_book()
    {
        var replica = app.Replica(tokensFollowClock: true);
        using var supplier = await Trader.SignInAsync(app, replica: replica);
        using var buyer = await Trader.SignInAsync(app, replica: replica);
        var device = await EligibleDeviceAsync(replica, supplier, "V100", 1);
        await supplier.PlaceAskAsync(device, 200_000, now: app.Clock.GetUtcNow());
        var rental = (await buyer.PlaceBidAsync("V100", 1, 200_000, hours: 2)).GetProperty("rentalId").GetGuid();
        var monitor = replica.Services.GetRequiredService<RentalMonitor>();

        app.Clock.Advance(TimeSpan.FromMinutes(19));
        await monitor.RunOnceAsync(Ct);
        (await buyer.RentalAsync(rental)).GetProperty("status").GetString().ShouldBe("AwaitingPayment");
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await monitor.RunOnceAsync(Ct);

        (await buyer.RentalAsync(rental)).GetProperty("status").GetString().ShouldBe("Lapsed");
        (await supplier.GetAsync("/api/orders/mine")).GetProperty("asks")[0].GetProperty("status").GetString().ShouldBe("Listed");
        (await supplier.GetAsync($"/api/devices/{device}")).GetProperty("status").GetString().ShouldBe("Idle");
        await (await buyer.Http.PostAsync($"/api/rentals/{rental}/end", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await buyer.Http.GetAsync($"/api/rentals/{rental}/payment", Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task a_replica_started_after_the_matching_one_stopped_lapses_the_rental_on_its_own_timer()
    {
        var first = app.Replica(ShortWindow, tokensFollowClock: true);
        Guid rental, device;
        using (var supplier = await Trader.SignInAsync(app, replica: first))
        using (var buyer = await Trader.SignInAsync(app, replica: first))
        {
            device = await EligibleDeviceAsync(first, supplier, "RTX-3090", 1);
            await supplier.PlaceAskAsync(device, 150_000, now: app.Clock.GetUtcNow());
            rental = (await buyer.PlaceBidAsync("RTX-3090", 1, 150_000, hours: 1)).GetProperty("rentalId").GetGuid();
        }
        await first.DisposeAsync();

        var second = app.Replica(ShortWindow, tokensFollowClock: true);
        var store = second.Services.GetRequiredService<IDocumentStore>();
        app.Clock.Advance(TimeSpan.FromMinutes(2));

        // No call into the timers: the second replica's own tick finds the rental past its window.
        var lapsed = await Waiting.UntilAsync(async () =>
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<Rental>(Rental.StreamKey(rental), Ct);
        }, r => r?.Status == RentalStatus.Lapsed, "the rental lapsing");
        lapsed!.EndedAt.ShouldNotBeNull();
        var book = second.Services.GetRequiredService<IoNet.Marketplace.Orders.OrderBookHost>();
        await Waiting.UntilAsync(() => book.QueryAsync((engine, _) => engine.FindAskOfDevice(device), Ct),
            ask => ask is { RentalId: null }, "the device back in the book");
    }

    [Fact]
    public async Task a_resting_bid_leaves_the_book_when_it_expires()
    {
        var replica = app.Replica(tokensFollowClock: true);
        using var buyer = await Trader.SignInAsync(app, replica: replica);
        using var response = await buyer.BidAsync("MI300X", 2, 100_000, hours: 4, currency: "Usdc", expiresInMinutes: 30);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var monitor = replica.Services.GetRequiredService<RentalMonitor>();

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        await monitor.RunOnceAsync(Ct);
        (await buyer.GetAsync("/api/orders/mine")).GetProperty("bids").GetArrayLength().ShouldBe(1);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await monitor.RunOnceAsync(Ct);

        (await buyer.GetAsync("/api/orders/mine")).GetProperty("bids").GetArrayLength().ShouldBe(0);
        var store = replica.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var journal = await session.Events.FetchStreamAsync(IoNet.Ledger.Store.LedgerStore.MarketJournalStream, token: Ct);
        journal.Select(e => e.Data).OfType<IoNet.Ledger.Market.BidExpired>().Count(e => e.Buyer == buyer.Address).ShouldBe(1);
    }
}
