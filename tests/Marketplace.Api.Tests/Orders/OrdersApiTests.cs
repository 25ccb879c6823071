using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Orders;
using IoNet.Marketplace.Quotes;
using IoNet.MarketplaceApi.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Orders;

/// <summary>
/// Asks, bids, cancels and market data through the real API and its order book host, on PostgreSQL. Each test trades
/// its own GPU model, so the book the class shares never lets one test's orders fill another's.
/// </summary>
public sealed class OrdersApiTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Guid> EligibleDeviceAsync(Trader supplier, string model, int gpus, string country = "DE")
    {
        var device = await supplier.RegisterDeviceAsync(model, gpus, country);
        using var op = await Trader.SignInAsync(app, app.Operator);
        await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked by hand" });
        return device;
    }

    [Fact]
    public async Task only_the_owner_of_a_device_offers_it_and_a_cpu_only_or_unknown_device_is_refused()
    {
        using var owner = await Trader.SignInAsync(app);
        using var stranger = await Trader.SignInAsync(app);
        var device = await owner.RegisterDeviceAsync("L4", 1);
        using var cpuResponse = await owner.Http.PostAsJsonAsync("/api/devices",
            new { cpuClass = "EPYC-9654", ramGiB = 64, country = "DE", city = "Bonn", connectivity = "High", security = "Standard" }, Ct);
        var cpuOnly = (await cpuResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        await (await stranger.AskAsync(device, 1_000_000, now: app.Clock.GetUtcNow())).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.AskAsync(cpuOnly, 1_000_000, now: app.Clock.GetUtcNow())).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await owner.AskAsync(Guid.NewGuid(), 1_000_000, now: app.Clock.GetUtcNow())).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var anonymous = app.Client();
        await (await anonymous.PostAsJsonAsync("/api/asks", new { deviceId = device }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        var ask = await owner.PlaceAskAsync(device, 1_000_000, now: app.Clock.GetUtcNow());
        ask.GetProperty("status").GetString().ShouldBe("Ineligible");
        ask.GetProperty("gpuModel").GetString().ShouldBe("L4");
        ask.GetProperty("gpuClass").GetString().ShouldBe("datacenter");
        await (await owner.AskAsync(device, 2_000_000, now: app.Clock.GetUtcNow())).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task a_bid_for_three_gpus_fills_across_two_suppliers_at_their_own_prices_and_creates_a_rental_to_pay()
    {
        using var supplierA = await Trader.SignInAsync(app);
        using var supplierB = await Trader.SignInAsync(app);
        using var buyer = await Trader.SignInAsync(app);
        var now = app.Clock.GetUtcNow();
        var twoGpus = await EligibleDeviceAsync(supplierA, "H200", 2);
        var oneGpu = await EligibleDeviceAsync(supplierB, "H200", 1, "FR");
        var dearer = await EligibleDeviceAsync(supplierB, "H200", 1, "FR");
        (await supplierA.PlaceAskAsync(twoGpus, 2_000_000, now: now)).GetProperty("status").GetString().ShouldBe("Listed");
        await supplierB.PlaceAskAsync(oneGpu, 2_500_000, now: now);
        await supplierB.PlaceAskAsync(dearer, 2_600_000, now: now);

        var bid = await buyer.PlaceBidAsync("H200", 3, 3_000_000, hours: 10, currency: "Iosd");

        bid.GetProperty("status").GetString().ShouldBe("Filled");
        var rentalId = bid.GetProperty("rentalId").GetGuid();
        var rental = await buyer.RentalAsync(rentalId);
        rental.GetProperty("status").GetString().ShouldBe("AwaitingPayment");
        rental.GetProperty("perHourMicroUsd").GetUInt64().ShouldBe(2 * 2_000_000UL + 2_500_000UL);
        var price = RentalPrice.Of(6_500_000, 10, PaymentCurrencies.Iosd, null);
        rental.GetProperty("amountDue").GetUInt64().ShouldBe(price.Total);
        price.Total.ShouldBe(65_000_000UL + 162_500UL);
        rental.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("device").GetGuid()).ShouldBe([twoGpus, oneGpu], ignoreOrder: true);
        (await supplierA.RentalAsync(rentalId)).GetProperty("id").GetGuid().ShouldBe(rentalId);
        using var stranger = await Trader.SignInAsync(app);
        await (await stranger.Http.GetAsync($"/api/rentals/{rentalId}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        (await supplierA.GetAsync($"/api/devices/{twoGpus}")).GetProperty("status").GetString().ShouldBe("Hired");
        (await supplierB.GetAsync($"/api/devices/{dearer}")).GetProperty("status").GetString().ShouldBe("Idle");
        var mine = await supplierA.GetAsync("/api/orders/mine");
        mine.GetProperty("asks")[0].GetProperty("status").GetString().ShouldBe("Hired");
        var market = await buyer.GetAsync("/api/market");
        var h200 = market.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("gpuModel").GetString() == "H200");
        h200.GetProperty("lastFillPrice").GetUInt64().ShouldBe(6_500_000UL / 3);
        h200.GetProperty("bestAsk").GetUInt64().ShouldBe(2_600_000UL);
        var buyerRentals = await buyer.GetAsync("/api/rentals/mine");
        buyerRentals.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldContain(rentalId);
        var supplierRentals = await supplierB.GetAsync("/api/rentals/mine");
        supplierRentals.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldContain(rentalId);
    }

    [Fact]
    public async Task a_bid_that_cannot_fill_rests_and_only_its_owner_cancels_it()
    {
        using var buyer = await Trader.SignInAsync(app);
        using var other = await Trader.SignInAsync(app);

        var bid = await buyer.PlaceBidAsync("A10", 2, 500_000, hours: 3, currency: "Usdc");

        bid.GetProperty("status").GetString().ShouldBe("Resting");
        var id = bid.GetProperty("id").GetGuid();
        (await buyer.GetAsync("/api/orders/mine")).GetProperty("bids").EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).ShouldBe([id]);
        var market = await buyer.GetAsync("/api/market");
        market.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("gpuModel").GetString() == "A10")
            .GetProperty("bestBid").GetUInt64().ShouldBe(500_000UL);
        await (await other.Http.DeleteAsync($"/api/orders/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await other.Http.DeleteAsync($"/api/orders/{Guid.NewGuid()}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var cancelled = await buyer.Http.DeleteAsync($"/api/orders/{id}", Ct);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync(Ct));
        (await buyer.GetAsync("/api/orders/mine")).GetProperty("bids").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task bids_name_a_catalogue_model_or_class_and_one_of_three_currencies()
    {
        using var buyer = await Trader.SignInAsync(app);

        await (await buyer.BidAsync("H9000", 1, 1_000)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await buyer.BidAsync("H100", 1, 1_000, currency: "Btc")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await buyer.BidAsync("H100", 65, 1_000)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await buyer.BidAsync("H100", 1, 1_000, countries: ["Germany"])).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using var both = await buyer.Http.PostAsJsonAsync("/api/bids",
            new { gpuModel = "H100", gpuClass = "datacenter", gpuCount = 1, maxPricePerGpuHour = 1, hours = 1, currency = "Io" }, Ct);
        await both.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task an_ask_for_an_ineligible_device_is_listed_when_an_operator_marks_the_device_eligible()
    {
        using var supplier = await Trader.SignInAsync(app);
        var device = await supplier.RegisterDeviceAsync("RTX-6000-ADA", 4);
        (await supplier.PlaceAskAsync(device, 900_000, now: app.Clock.GetUtcNow())).GetProperty("status").GetString().ShouldBe("Ineligible");

        using var op = await Trader.SignInAsync(app, app.Operator);
        await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked" });

        // The device feed (async daemon) carries the change into the book.
        await Waiting.UntilAsync(() => supplier.GetAsync("/api/orders/mine"),
            mine => mine.GetProperty("asks")[0].GetProperty("status").GetString() == "Listed", "the ask being listed");
        await op.PostAsync($"/api/operator/devices/{device}/status", new { status = "Down", reason = "no heartbeat" });
        await Waiting.UntilAsync(() => supplier.GetAsync("/api/orders/mine"),
            mine => mine.GetProperty("asks")[0].GetProperty("status").GetString() == "Ineligible", "the ask being unlisted");
    }

    [Fact]
    public async Task a_quote_prices_the_cheapest_set_now_with_fees_in_usd_and_in_the_currency_without_placing_anything()
    {
        using var supplier = await Trader.SignInAsync(app);
        var now = app.Clock.GetUtcNow();
        var a = await EligibleDeviceAsync(supplier, "A100-80GB", 2);
        var b = await EligibleDeviceAsync(supplier, "A100-80GB", 1);
        var c = await EligibleDeviceAsync(supplier, "A100-80GB", 1, "US");
        await supplier.PlaceAskAsync(a, 1_200_000, now: now);
        await supplier.PlaceAskAsync(b, 1_300_000, now: now);
        await supplier.PlaceAskAsync(c, 1_000_000, now: now);
        using var anonymous = app.Client();

        var iosd = await anonymous.GetFromJsonAsync<JsonElement>("/api/quotes?gpuModel=a100-80gb&gpus=3&hours=10&country=DE&currency=IOSD", Ct);
        var io = await anonymous.GetFromJsonAsync<JsonElement>("/api/quotes?gpuModel=A100-80GB&gpus=3&hours=10&country=DE&currency=io", Ct);
        var usdc = await anonymous.GetFromJsonAsync<JsonElement>("/api/quotes?gpuModel=A100-80GB&gpus=3&hours=10&country=DE", Ct);

        iosd.GetProperty("perHourMicroUsd").GetUInt64().ShouldBe(2 * 1_200_000UL + 1_300_000UL);
        iosd.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetGuid()).ShouldBe([a, b], ignoreOrder: true);
        iosd.GetProperty("subtotalMicroUsd").GetUInt64().ShouldBe(37_000_000UL);
        iosd.GetProperty("buyerFeeMicroUsd").GetUInt64().ShouldBe(92_500UL);
        iosd.GetProperty("total").GetUInt64().ShouldBe(37_092_500UL);
        iosd.GetProperty("totalText").GetString().ShouldBe("37.0925");
        usdc.GetProperty("buyerFeeMicroUsd").GetUInt64().ShouldBe(832_500UL);
        io.GetProperty("buyerFeeMicroUsd").GetUInt64().ShouldBe(0UL);
        io.GetProperty("ioRateMicroUsd").GetUInt64().ShouldBe(800_000UL);
        io.GetProperty("total").GetUInt64().ShouldBe(37_000_000UL * 100_000_000UL / 800_000UL);
        io.GetProperty("decimals").GetInt32().ShouldBe(8);
        var everywhere = await anonymous.GetFromJsonAsync<JsonElement>("/api/quotes?gpuModel=A100-80GB&gpus=3&hours=10&currency=USDC", Ct);
        everywhere.GetProperty("perHourMicroUsd").GetUInt64().ShouldBe(2 * 1_200_000UL + 1_000_000UL);
        await (await anonymous.GetAsync("/api/quotes?gpuModel=A100-80GB&gpus=5&hours=10", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync("/api/quotes?gpuModel=A100-80GB&gpus=1&hours=10&currency=EUR", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await supplier.GetAsync("/api/orders/mine")).GetProperty("asks").EnumerateArray().ShouldAllBe(x => x.GetProperty("status").GetString() == "Listed");
    }

    [Fact]
    public async Task the_market_price_read_model_records_fills_for_the_explorer()
    {
        using var supplier = await Trader.SignInAsync(app);
        using var buyer = await Trader.SignInAsync(app);
        var device = await EligibleDeviceAsync(supplier, "T4", 2);
        await supplier.PlaceAskAsync(device, 300_000, now: app.Clock.GetUtcNow());

        await buyer.PlaceBidAsync("T4", 2, 400_000, hours: 5);

        var store = app.Factory.Services.GetRequiredService<IDocumentStore>();
        var price = await Waiting.UntilAsync(async () =>
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<MarketPrice>("T4", Ct);
        }, p => p is not null, "the T4 market price");
        price!.LastFillPrice.ShouldBe(300_000UL);
        price.Fills.ShouldBe(1);
        price.GpuHours.ShouldBe(10UL);
        price.VolumeMicroUsd.ShouldBe(3_000_000UL);
        var market = await buyer.GetAsync("/api/market");
        market.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("gpuModel").GetString() == "T4")
            .GetProperty("volume24hMicroUsd").GetUInt64().ShouldBe(3_000_000UL);
    }
}
