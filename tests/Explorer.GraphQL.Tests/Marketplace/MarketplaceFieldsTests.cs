using System.Globalization;
using System.Text.Json;
using IoNet.ExplorerGraphQL.Tests.Support;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using Marten;

namespace IoNet.ExplorerGraphQL.Tests.Marketplace;

/// <summary>
/// The explorer's marketplace fields over a marketplace written by its own deciders (see <see cref="MarketplaceLedger"/>):
/// every answer equals the read models (Device, Rental, RentalEscrow, MarketPrice, MarketBook) read here with Marten, and
/// best ask and bid equal what the marketplace's order book engine says.
/// </summary>
public sealed class MarketplaceFieldsTests(MarketplaceLedger market) : IClassFixture<MarketplaceLedger>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GraphQLClient GraphQL => market.GraphQL;

    private static string N(Guid id) => id.ToString("N");

    [Fact]
    public async Task the_network_query_counts_devices_and_gpus_and_prices_each_model_as_the_order_book_does()
    {
        var network = (await GraphQL.DataAsync("""
            { network { registeredDevices devicesByStatus { key count } gpusByModel { key count } devicesByCountry { key count } verifiedSuppliers
                marketPrices { gpuModel bestAsk bestBid lastFill lastFillAt volume24h fills hourlyPrices { hour price } } } }
            """, ct: Ct)).GetProperty("network");

        network.GetProperty("registeredDevices").GetInt64().ShouldBe(5);
        Counts(network, "devicesByStatus").ShouldBe([("Hired", 2L), ("Idle", 2L), ("Paused", 1L)]);
        Counts(network, "gpusByModel").ShouldBe([("A100", 4L), ("H100", 4L), ("L4", 1L)]);
        Counts(network, "devicesByCountry").ShouldBe([("DE", 2L), ("FR", 1L), ("JP", 1L), ("US", 1L)]);
        network.GetProperty("verifiedSuppliers").GetInt64().ShouldBe(2, "the two suppliers with a device found fit");

        var prices = network.GetProperty("marketPrices").EnumerateArray().ToDictionary(p => p.Str("gpuModel"));
        // Every model with a matchable ask or a resting bid (the engine's GpuModels) or with fills.
        await using var q = market.Store.QuerySession();
        var filled = (await q.Query<MarketPrice>().ToListAsync(Ct)).Select(p => p.Id);
        prices.Keys.Order(StringComparer.Ordinal).ShouldBe(market.Book.GpuModels().Union(filled).Order(StringComparer.Ordinal));
        foreach (var (model, p) in prices)
        {
            // The explorer's MarketBook projection against the marketplace's own engine, fed the same journal.
            Optional(p, "bestAsk").ShouldBe(market.Book.BestAskPrice(model), $"{model} best ask");
            Optional(p, "bestBid").ShouldBe(market.Book.BestBidPrice(model), $"{model} best bid");
        }
        // The pair and the single are hired: the spare is the only H100 left; the A100 quad is back after its release,
        // above the resting A100 bid; the paused L4's ask is never matchable.
        (Optional(prices["H100"], "bestAsk"), Optional(prices["H100"], "bestBid")).ShouldBe((3_000_000UL, (ulong?)null));
        (Optional(prices["A100"], "bestAsk"), Optional(prices["A100"], "bestBid")).ShouldBe((1_500_000UL, 1_400_000UL));
        prices.ShouldNotContainKey("L4");

        foreach (var doc in await q.Query<MarketPrice>().ToListAsync(Ct))
        {
            var p = prices[doc.Id];
            (p.U64("lastFill"), p.U64("volume24h"), p.GetProperty("fills").GetInt64()).ShouldBe((doc.LastFillPrice, doc.VolumeSince(DateTimeOffset.UtcNow.AddHours(-24)), doc.Fills), doc.Id);
        }
        // By hand: H100 filled 2 GPUs at 2.0 and 1 at 2.5 USD per GPU-hour for 10 hours; A100 4 GPUs at 1.5 for 2 hours.
        (prices["H100"].U64("lastFill"), prices["H100"].U64("volume24h")).ShouldBe((6_500_000UL / 3, 65_000_000UL));
        (prices["A100"].U64("lastFill"), prices["A100"].U64("volume24h")).ShouldBe((1_500_000UL, 12_000_000UL));
        prices["A100"].GetProperty("hourlyPrices").EnumerateArray().Single().U64("price").ShouldBe(1_500_000UL);
    }

    [Fact]
    public async Task clusters_show_status_devices_price_hours_payments_payouts_and_why_they_ended_as_Rental_and_RentalEscrow_say()
    {
        var before = DateTimeOffset.UtcNow;
        var clusters = await GraphQL.WalkAsync("""
            query($after: String) { clusters(first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
              id status buyer payer mint currency gpuCount hours pricePerHour totalUsd amountDue remainingHours terminationReason
              funded settled refunded escrowBalance paidToSuppliers { key amount }
              devices { deviceId supplier gpuModel gpuCount pricePerGpuHour device { id status } }
              payments { amount payer } payouts { amount recipient } refunds { amount buyer }
              settlement { mint funded charged fees refund payouts { key amount } } } } } }
            """, ["clusters"], ct: Ct);
        var after = DateTimeOffset.UtcNow;

        await using var q = market.Store.QuerySession();
        var rentals = (await q.Query<Rental>().ToListAsync(Ct)).ToDictionary(r => r.Id);
        var escrows = (await q.Query<RentalEscrow>().ToListAsync(Ct)).ToDictionary(r => r.Id);
        clusters.Select(c => c.Str("id")).Order(StringComparer.Ordinal).ShouldBe(rentals.Keys.Order(StringComparer.Ordinal));
        foreach (var c in clusters)
        {
            var rental = rentals[c.Str("id")];
            var escrow = escrows[rental.Id];
            (c.Str("buyer"), c.Str("payer"), c.Str("mint"), c.GetProperty("gpuCount").GetInt32(), c.GetProperty("hours").GetInt32())
                .ShouldBe((rental.Buyer, escrow.Payer!, escrow.Mint!, rental.GpuCount, rental.Hours), rental.Id);
            (c.U64("pricePerHour"), c.U64("totalUsd"), c.U64("amountDue")).ShouldBe((rental.PerHourMicroUsd, rental.TotalMicroUsd, rental.AmountDue), rental.Id);
            (c.U64("funded"), c.U64("settled"), c.U64("refunded"), c.U64("escrowBalance")).ShouldBe((escrow.Funded, escrow.Settled, escrow.Refunded, (ulong)escrow.Balance!), rental.Id);
            c.GetProperty("devices").EnumerateArray().Select(d => (d.Str("deviceId"), d.Str("supplier"), d.Str("gpuModel"), d.GetProperty("gpuCount").GetInt32(), d.U64("pricePerGpuHour")))
                .ShouldBe(rental.Devices.Select(d => (N(d.Device), d.Supplier, d.GpuModel, d.GpuCount, d.PricePerGpuHour)));
            c.GetProperty("devices").EnumerateArray().ShouldAllBe(d => d.GetProperty("device").Str("id") == d.Str("deviceId"));
            Sum(c, "payments").ShouldBe(escrow.Funded);
            Sum(c, "payouts").ShouldBe(escrow.Settled);
            Sum(c, "refunds").ShouldBe(escrow.Refunded);
        }

        var active = clusters.Single(c => c.Str("id") == N(market.ActiveRental));
        var state = rentals[N(market.ActiveRental)];
        (active.Str("status"), active.Str("currency")).ShouldBe(("ACTIVE", "IOSD"));
        active.GetProperty("terminationReason").ValueKind.ShouldBe(JsonValueKind.Null);
        active.GetProperty("settlement").ValueKind.ShouldBe(JsonValueKind.Null);
        var remaining = active.GetProperty("remainingHours").GetDouble();
        remaining.ShouldBeInRange((state.EndsAt!.Value - after).TotalHours - 1e-6, (state.EndsAt!.Value - before).TotalHours + 1e-6);
        active.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("device").Str("status")).ShouldAllBe(s => s == "HIRED");

        var ended = clusters.Single(c => c.Str("id") == N(market.EndedRental));
        var decided = rentals[N(market.EndedRental)].Settlement!;
        (ended.Str("status"), ended.Str("terminationReason"), ended.GetProperty("remainingHours").GetDouble()).ShouldBe(("SETTLED", "BUYER_ENDED", 0d));
        var settlement = ended.GetProperty("settlement");
        (settlement.U64("charged"), settlement.U64("fees"), settlement.U64("refund")).ShouldBe((decided.Charged, decided.Fees, decided.Refund));
        settlement.Amounts("payouts").ShouldBe(decided.Payouts.ToDictionary(p => p.Supplier, p => p.Amount).Sorted());
        ended.Amounts("paidToSuppliers").ShouldBe(decided.Payouts.ToDictionary(p => p.Supplier, p => p.Amount).Sorted());
        ended.GetProperty("devices").EnumerateArray().Single().GetProperty("device").Str("status").ShouldBe("IDLE", "released");

        // Filters: by status, by a device it hired, by a supplier among its devices'.
        (await ClusterIdsAsync("{ status: ACTIVE }")).ShouldBe([N(market.ActiveRental)]);
        (await ClusterIdsAsync($"{{ device: \"{market.A100Quad}\" }}")).ShouldBe([N(market.EndedRental)]);
        (await ClusterIdsAsync($"{{ supplier: \"{market.SupplierTwo}\" }}")).ShouldBe([N(market.ActiveRental)]);
        (await ClusterIdsAsync("{ status: AWAITING_PAYMENT }")).ShouldBeEmpty();
        var one = (await GraphQL.DataAsync("query($id: ID!) { cluster(id: $id) { id status } }", new { id = market.ActiveRental.ToString() }, Ct)).GetProperty("cluster");
        one.Str("status").ShouldBe("ACTIVE");
    }

    [Fact]
    public async Task devices_show_registry_status_specs_location_rentals_proofs_and_anomalies_and_filter_by_them()
    {
        var devices = await GraphQL.WalkAsync("""
            query($after: String) { devices(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
              id owner status eligible specs { gpuModel gpuCount cpu ramGb } location country city connectivity security registeredAt
              earnings { rewards staked } rentals { id status } uptime30d proofsOfWork { challenge passed outcome at n } anomalyFlags } } } }
            """, ["devices"], ct: Ct);

        await using var q = market.Store.QuerySession();
        var registry = (await q.Query<Device>().ToListAsync(Ct)).ToDictionary(d => d.Id);
        devices.Select(d => d.Str("id")).Order(StringComparer.Ordinal).ShouldBe(registry.Keys.Order(StringComparer.Ordinal));
        foreach (var d in devices)
        {
            var doc = registry[d.Str("id")];
            (d.Str("owner"), d.Str("status"), d.GetProperty("eligible").GetBoolean(), d.Str("country"), d.Str("city"), d.Str("location"))
                .ShouldBe((doc.Owner, doc.Status.ToString().ToUpperInvariant(), doc.MarkedEligible, doc.Country, doc.City, $"{doc.City}, {doc.Country}"), doc.Id);
            var specs = d.GetProperty("specs");
            (specs.Str("gpuModel"), specs.GetProperty("gpuCount").GetInt32(), specs.Str("cpu"), specs.GetProperty("ramGb").GetInt32())
                .ShouldBe((doc.GpuModel!, doc.GpuCount, doc.CpuClass, doc.RamGiB), doc.Id);
            (d.Str("connectivity"), d.Str("security")).ShouldBe(("ULTRA", "SOC2"));
            d.GetProperty("earnings").U64("rewards").ShouldBe(0UL, "never rewarded on chain");
            d.GetProperty("uptime30d").ValueKind.ShouldBe(JsonValueKind.Null);
        }

        var pair = devices.Single(d => d.Str("id") == N(market.H100Pair));
        pair.GetProperty("rentals").EnumerateArray().Select(r => (r.Str("id"), r.Str("status"))).ShouldBe([(N(market.ActiveRental), "ACTIVE")]);
        pair.GetProperty("proofsOfWork").EnumerateArray().Select(p => (p.Str("outcome"), p.GetProperty("passed").GetBoolean())).ShouldBe([("Timeout", false), ("Verified", true)]);
        pair.GetProperty("anomalyFlags").EnumerateArray().Select(f => f.GetString()).ShouldBe(["1 failed proof of work (last outcome: Timeout)"]);
        var quad = devices.Single(d => d.Str("id") == N(market.A100Quad));
        (quad.Str("status"), quad.GetProperty("rentals").EnumerateArray().Single().Str("id")).ShouldBe(("IDLE", N(market.EndedRental)));
        devices.Single(d => d.Str("id") == N(market.L4Paused)).GetProperty("proofsOfWork").GetArrayLength().ShouldBe(0);

        (await DeviceIdsAsync("{ status: HIRED }")).ShouldBe(new[] { N(market.H100Pair), N(market.H100Single) }.Order(StringComparer.Ordinal));
        (await DeviceIdsAsync("{ gpuModel: \"H100\" }")).Count.ShouldBe(3);
        (await DeviceIdsAsync("{ country: \"de\" }")).ShouldBe(new[] { N(market.H100Pair), N(market.H100Spare) }.Order(StringComparer.Ordinal));
        (await DeviceIdsAsync($"{{ owner: \"{market.SupplierThree}\", status: PAUSED }}")).ShouldBe([N(market.L4Paused)]);
        var one = (await GraphQL.DataAsync("query($id: ID!) { device(id: $id) { id specs { gpuModel } } }", new { id = market.H100Spare.ToString() }, Ct)).GetProperty("device");
        one.Str("id").ShouldBe(N(market.H100Spare));
        var hits = (await GraphQL.DataAsync("query($t: String!) { search(text: $t) { kind key } }", new { t = N(market.L4Paused) }, Ct)).GetProperty("search");
        hits.EnumerateArray().Select(h => h.Str("kind")).ShouldBe(["DEVICE"]);
    }

    [Fact]
    public async Task nested_marketplace_fields_load_in_one_statement_per_level_whatever_the_page_size()
    {
        const string devices = """
            query($n: Int) { devices(first: $n, filter: { status: HIRED }) { edges { node { id status rentals { id devices { device { id status specs { gpuModel } } } }
              proofsOfWork { passed } anomalyFlags recentPayouts { amount } } } } }
            """;
        const string clusters = """
            query($n: Int) { clusters(first: $n) { edges { node { id status devices { device { id rentals { id } proofsOfWork { passed } anomalyFlags } }
              payments { amount } payouts { amount } } } } }
            """;
        // Every device and cluster asked for has the same nested lists (hired devices all have a rental), so the levels are
        // the same for one parent as for several: a fixed count means no statement per parent.
        foreach (var query in new[] { devices, clusters })
        {
            var small = await Statements.OfAsync(GraphQL, query, new { n = 1 }, Ct);
            var large = await Statements.OfAsync(GraphQL, query, new { n = 2 }, Ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"{small} statements for 1, {large} for 2");
            large.ShouldBe(small);
            large.ShouldBeLessThanOrEqualTo(7);
        }
    }

    private async Task<List<string>> ClusterIdsAsync(string filter) =>
        [.. (await GraphQL.WalkAsync($$"""
            query($after: String) { clusters(first: 10, after: $after, filter: {{filter}}) { pageInfo { hasNextPage endCursor } edges { node { id } } } }
            """, ["clusters"], ct: Ct)).Select(c => c.Str("id"))];

    private async Task<List<string>> DeviceIdsAsync(string filter) =>
        [.. (await GraphQL.WalkAsync($$"""
            query($after: String) { devices(first: 10, after: $after, filter: {{filter}}) { pageInfo { hasNextPage endCursor } edges { node { id } } } }
            """, ["devices"], ct: Ct)).Select(c => c.Str("id"))];

    private static List<(string, long)> Counts(JsonElement parent, string name) =>
        [.. parent.GetProperty(name).EnumerateArray().Select(e => (e.Str("key"), e.GetProperty("count").GetInt64())).OrderBy(p => p.Item1, StringComparer.Ordinal)];

    private static ulong? Optional(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : ulong.Parse(e.Str(name), CultureInfo.InvariantCulture);

    private static ulong Sum(JsonElement parent, string list) => parent.GetProperty(list).EnumerateArray().Aggregate(0UL, (sum, x) => checked(sum + x.U64("amount")));
}
