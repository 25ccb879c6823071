using System.Text.Json;
using IoNet.ExplorerGraphQL.Tests.Support;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;
using Marten;

namespace IoNet.ExplorerGraphQL.Tests.Economy;

/// <summary>
/// Acceptance 1: on an economy seeded through the real localnet and the real indexer, every GraphQL answer equals the
/// Ledger's projections (read here with Marten) and the chain (getTokenSupply), to the base unit.
/// </summary>
[Collection(ExplorerEconomy.Collection)]
public sealed class LedgerAgreementTests(ExplorerEconomy economy)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GraphQLClient GraphQL => economy.GraphQL;

    [Fact]
    public async Task the_network_query_equals_NetworkTotals_TokenSupply_and_getTokenSupply()
    {
        await economy.CaughtUpAsync(Ct);
        var net = economy.Chain.Network;
        await using var q = economy.Store.QuerySession();
        var totals = (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct))!;
        var data = (await GraphQL.DataAsync("""
            { network {
                io { mint minted burned supply } iosd { mint minted burned supply } supplies { mint supply }
                creditPurchases ioBurnedForCredits iosdMintedForCredits feesBurned rewardsPaid rewardPayments staked slashed
                rentalsFunded { mint amount } rentalsSettled { mint amount } rentalsRefunded { mint amount } paidToSuppliers { mint amount }
                devices clusters openClusters rewardBlocks latestRewardBlock wallets
                devicesByStatus { key } gpusByModel { key } verifiedSuppliers marketPrices { gpuModel }
                chain { indexedSlot storedEvents projectedEvents } } }
            """, ct: Ct)).GetProperty("network");

        foreach (var (name, mint) in new[] { ("io", net.Io.Address.ToString()), ("iosd", net.Iosd.Address.ToString()) })
        {
            var supply = (await q.LoadAsync<TokenSupply>(mint, Ct))!;
            var s = data.GetProperty(name);
            s.Str("mint").ShouldBe(mint);
            (s.U64("minted"), s.U64("burned"), s.U64("supply")).ShouldBe((supply.Minted, supply.Burned, (ulong)supply.Circulating!), name);
            s.U64("supply").ShouldBe(await economy.Supply(mint, Ct), $"{name} supply against getTokenSupply");
        }
        (data.U64("creditPurchases"), data.U64("ioBurnedForCredits"), data.U64("iosdMintedForCredits"), data.U64("feesBurned"))
            .ShouldBe((totals.CreditPurchases, totals.IoBurnedForCredits, totals.IosdMintedForCredits, totals.FeesBurned));
        (data.U64("rewardsPaid"), data.U64("rewardPayments"), data.U64("staked"), data.U64("slashed"))
            .ShouldBe((totals.RewardsPaid, totals.RewardPayments, (ulong)totals.Staked!, totals.Slashed));
        data.Amounts("rentalsFunded", "mint").ShouldBe(totals.RentalsFunded.Sorted());
        data.Amounts("rentalsSettled", "mint").ShouldBe(totals.RentalsSettled.Sorted());
        data.Amounts("rentalsRefunded", "mint").ShouldBe(totals.RentalsRefunded.Sorted());
        var paid = new Dictionary<string, ulong>(totals.RentalsSettled);
        paid[net.Io.Address.ToString()] = checked(paid.GetValueOrDefault(net.Io.Address.ToString()) + totals.RewardsPaid);
        data.Amounts("paidToSuppliers", "mint").ShouldBe(paid.Sorted());

        var devices = await q.Query<DeviceEarnings>().ToListAsync(Ct);
        var rentals = await q.Query<RentalEscrow>().ToListAsync(Ct);
        var blocks = await q.Query<RewardBlockPayouts>().ToListAsync(Ct);
        var wallets = await q.Query<WalletSummary>().ToListAsync(Ct);
        (data.GetProperty("devices").GetInt64(), data.GetProperty("clusters").GetInt64(), data.GetProperty("openClusters").GetInt64(),
            data.GetProperty("rewardBlocks").GetInt64(), data.GetProperty("wallets").GetInt64())
            .ShouldBe((devices.Count, rentals.Count, rentals.Count(r => r.Balance > 0), blocks.Count, wallets.Count));
        data.U64("latestRewardBlock").ShouldBe(blocks.Max(b => ulong.Parse(b.Id, System.Globalization.CultureInfo.InvariantCulture)));
        // No data source yet: empty or null, never invented.
        data.GetProperty("devicesByStatus").GetArrayLength().ShouldBe(0);
        data.GetProperty("marketPrices").GetArrayLength().ShouldBe(0);
        data.GetProperty("verifiedSuppliers").ValueKind.ShouldBe(JsonValueKind.Null);
        data.GetProperty("chain").U64("indexedSlot").ShouldBeGreaterThan(0UL);
    }

    [Fact]
    public async Task devices_clusters_reward_blocks_and_wallets_equal_their_projections()
    {
        await economy.CaughtUpAsync(Ct);
        await using var q = economy.Store.QuerySession();

        var devices = await GraphQL.WalkAsync("""
            query($after: String) { devices(first: 7, after: $after) { pageInfo { hasNextPage endCursor }
              edges { cursor node { id earnings { rewards staked slashed rewardsByBlock { key amount } } recentPayouts { amount deviceId } } } } }
            """, ["devices"], ct: Ct);
        var expectedDevices = (await q.Query<DeviceEarnings>().ToListAsync(Ct)).ToDictionary(d => d.Id);
        devices.Select(d => d.Str("id")).Order(StringComparer.Ordinal).ShouldBe(expectedDevices.Keys.Order(StringComparer.Ordinal));
        foreach (var d in devices)
        {
            var doc = expectedDevices[d.Str("id")];
            var e = d.GetProperty("earnings");
            (e.U64("rewards"), e.U64("staked"), e.U64("slashed")).ShouldBe((doc.Rewards, (ulong)doc.Staked!, doc.Slashed), doc.Id);
            e.Amounts("rewardsByBlock").ShouldBe(doc.RewardsByBlock.Sorted(), doc.Id);
            d.GetProperty("recentPayouts").EnumerateArray().ShouldAllBe(p => p.Str("deviceId") == doc.Id);
        }

        var clusters = await GraphQL.WalkAsync("""
            query($after: String) { clusters(first: 9, after: $after) { pageInfo { hasNextPage endCursor }
              edges { node { id mint payer funded settled refunded escrowBalance paidToSuppliers { key amount }
                payments { amount payer } payouts { amount recipient kind } refunds { amount buyer } devices { id } status } } } }
            """, ["clusters"], ct: Ct);
        var expectedClusters = (await q.Query<RentalEscrow>().ToListAsync(Ct)).ToDictionary(r => r.Id);
        clusters.Select(c => c.Str("id")).Order(StringComparer.Ordinal).ShouldBe(expectedClusters.Keys.Order(StringComparer.Ordinal));
        foreach (var c in clusters)
        {
            var doc = expectedClusters[c.Str("id")];
            (c.Str("mint"), c.Str("payer"), c.U64("funded"), c.U64("settled"), c.U64("refunded"), c.U64("escrowBalance"))
                .ShouldBe((doc.Mint!, doc.Payer!, doc.Funded, doc.Settled, doc.Refunded, (ulong)doc.Balance!), doc.Id);
            c.Amounts("paidToSuppliers").ShouldBe(doc.PaidToSuppliers.Sorted(), doc.Id);
            Sum(c, "payments").ShouldBe(doc.Funded, $"{doc.Id} payments");
            Sum(c, "payouts").ShouldBe(doc.Settled, $"{doc.Id} payouts");
            Sum(c, "refunds").ShouldBe(doc.Refunded, $"{doc.Id} refunds");
            c.GetProperty("devices").GetArrayLength().ShouldBe(0);
        }

        var blocks = await GraphQL.WalkAsync("""
            query($after: String) { rewardBlocks(first: 2, after: $after) { pageInfo { hasNextPage endCursor }
              edges { node { number total deviceCount byDevice { key amount } } } } }
            """, ["rewardBlocks"], ct: Ct);
        var expectedBlocks = (await q.Query<RewardBlockPayouts>().ToListAsync(Ct)).ToDictionary(b => b.Id);
        blocks.Select(b => b.Str("number")).ShouldBe(expectedBlocks.Keys.OrderByDescending(k => ulong.Parse(k, System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var b in blocks)
        {
            var doc = expectedBlocks[b.Str("number")];
            b.U64("total").ShouldBe(doc.Total);
            b.Amounts("byDevice").ShouldBe(doc.ByDevice.Sorted());
            var payouts = await GraphQL.WalkAsync("""
                query($after: String, $block: UInt64) { payouts(first: 40, after: $after, filter: { rewardBlock: $block }) { pageInfo { hasNextPage endCursor }
                  edges { node { amount rewardBlockNumber } } } }
                """, ["payouts"], new() { ["block"] = doc.Id }, Ct);
            payouts.Aggregate(0UL, (sum, p) => checked(sum + p.U64("amount"))).ShouldBe(doc.Total, $"payouts of block {doc.Id}");
        }

        foreach (var doc in await q.Query<WalletSummary>().ToListAsync(Ct))
        {
            var w = (await GraphQL.DataAsync("""
                query($a: String!) { wallet(address: $a) { address ioBurnedForCredits iosdBought rewardsEarned staked stakeSlashed
                  rentalsPaid { mint amount } rentalsRefunded { mint amount } rentalIncome { mint amount } } }
                """, new { a = doc.Id }, Ct)).GetProperty("wallet");
            (w.U64("ioBurnedForCredits"), w.U64("iosdBought"), w.U64("rewardsEarned"), w.U64("staked"), w.U64("stakeSlashed"))
                .ShouldBe((doc.IoBurnedForCredits, doc.IosdBought, doc.RewardsEarned, (ulong)doc.Staked!, doc.StakeSlashed), doc.Id);
            w.Amounts("rentalsPaid", "mint").ShouldBe(doc.RentalsPaid.Sorted());
            w.Amounts("rentalsRefunded", "mint").ShouldBe(doc.RentalsRefunded.Sorted());
            w.Amounts("rentalIncome", "mint").ShouldBe(doc.RentalIncome.Sorted());
        }
    }

    [Fact]
    public async Task payouts_burns_mints_and_credits_add_up_to_the_totals_and_transactions_hold_every_event()
    {
        await economy.CaughtUpAsync(Ct);
        await using var q = economy.Store.QuerySession();
        var totals = (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct))!;

        var payouts = await GraphQL.WalkAsync("""
            query($after: String) { payouts(first: 50, after: $after) { pageInfo { hasNextPage endCursor }
              edges { node { kind signature amount mint recipient slot } } } }
            """, ["payouts"], ct: Ct);
        Sum(payouts.Where(p => p.Str("kind") == "REWARD")).ShouldBe(totals.RewardsPaid);
        payouts.Count(p => p.Str("kind") == "REWARD").ShouldBe((int)totals.RewardPayments);
        payouts.Where(p => p.Str("kind") == "RENTAL_SETTLEMENT").GroupBy(p => p.Str("mint"))
            .ToDictionary(g => g.Key, g => Sum(g)).Sorted().ShouldBe(totals.RentalsSettled.Sorted());
        // Newest first: slots never increase down the list.
        payouts.Select(p => p.U64("slot")).ShouldBe(payouts.Select(p => p.U64("slot")).OrderDescending());

        var burns = await GraphQL.WalkAsync("""
            query($after: String) { burns(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { mint amount reason } } } }
            """, ["burns"], ct: Ct);
        var mints = await GraphQL.WalkAsync("""
            query($after: String) { mints(first: 50, after: $after, orderBy: OLDEST_FIRST) { pageInfo { hasNextPage endCursor } edges { node { mint amount } } } }
            """, ["mints"], ct: Ct);
        foreach (var supply in await q.Query<TokenSupply>().ToListAsync(Ct))
        {
            Sum(burns.Where(b => b.Str("mint") == supply.Id)).ShouldBe(supply.Burned, $"burns of {supply.Id}");
            Sum(mints.Where(m => m.Str("mint") == supply.Id)).ShouldBe(supply.Minted, $"mints of {supply.Id}");
        }
        Sum(burns.Where(b => b.Str("reason") == "FEE")).ShouldBe(totals.FeesBurned);
        Sum(burns.Where(b => b.Str("reason") == "SLASH")).ShouldBe(totals.Slashed);

        var credits = await GraphQL.WalkAsync("""
            query($after: String) { credits(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ioBurned iosdMinted buyer } } } }
            """, ["credits"], ct: Ct);
        ((ulong)credits.Count, credits.Aggregate(0UL, (s, c) => checked(s + c.U64("ioBurned"))), credits.Aggregate(0UL, (s, c) => checked(s + c.U64("iosdMinted"))))
            .ShouldBe((totals.CreditPurchases, totals.IoBurnedForCredits, totals.IosdMintedForCredits));

        // transaction(signature): every event the Ledger holds under the signature, in order.
        foreach (var signature in payouts.Select(p => p.Str("signature")).Distinct().Take(15))
        {
            var stored = await q.Events.FetchStreamAsync(signature, token: Ct);
            var tx = (await GraphQL.DataAsync("""
                query($s: String!) { transaction(signature: $s) { signature slot events { __typename signature path sequence } } }
                """, new { s = signature }, Ct)).GetProperty("transaction");
            var events = tx.GetProperty("events").EnumerateArray().ToList();
            events.Select(e => e.Str("__typename")).ShouldBe(stored.Select(e => e.EventType.Name));
            events.Select(e => e.GetProperty("sequence").GetInt64()).ShouldBe(stored.Select(e => e.Sequence));
            events.ShouldAllBe(e => e.Str("signature") == signature);
        }
        (await GraphQL.DataAsync("""{ transaction(signature: "1111111111111111111111111111111111111111111111111111111111111111") { signature } }""", ct: Ct))
            .GetProperty("transaction").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task search_finds_a_signature_a_wallet_a_device_a_cluster_and_a_reward_block()
    {
        await economy.CaughtUpAsync(Ct);
        await using var q = economy.Store.QuerySession();
        var device = (await q.Query<DeviceEarnings>().ToListAsync(Ct))[0].Id;
        var cluster = (await q.Query<RentalEscrow>().ToListAsync(Ct))[0].Id;
        var wallet = (await q.Query<WalletSummary>().ToListAsync(Ct))[0].Id;
        var block = (await q.Query<RewardBlockPayouts>().ToListAsync(Ct))[0].Id;
        var signature = (await GraphQL.DataAsync("{ payouts(first: 1) { edges { node { signature } } } }", ct: Ct))
            .GetProperty("payouts").GetProperty("edges")[0].GetProperty("node").Str("signature");
        foreach (var (text, kind) in new[] { (signature, "TRANSACTION"), (wallet, "WALLET"), (Guid.ParseExact(device, "N").ToString(), "DEVICE"), (cluster, "CLUSTER"), (block, "REWARD_BLOCK") })
        {
            var hits = (await GraphQL.DataAsync("""
                query($t: String!) { search(text: $t) { kind key transaction { signature } wallet { address } device { id } cluster { id } rewardBlock { number } } }
                """, new { t = text }, Ct)).GetProperty("search").EnumerateArray().ToList();
            hits.ShouldContain(h => h.Str("kind") == kind, $"{kind} {text}");
        }
        (await GraphQL.DataAsync("""{ search(text: "nothing-here") { kind } }""", ct: Ct)).GetProperty("search").GetArrayLength().ShouldBe(0);
    }

    private static ulong Sum(JsonElement parent, string list) => Sum(parent.GetProperty(list).EnumerateArray());

    private static ulong Sum(IEnumerable<JsonElement> items) => items.Aggregate(0UL, (sum, x) => checked(sum + x.U64("amount")));
}
