using System.Diagnostics;
using System.Text.Json;
using IoNet.ExplorerGraphQL.Tests.Support;
using IoNet.Programs.Flows;

namespace IoNet.ExplorerGraphQL.Tests.Economy;

/// <summary>How the explorer serves the seeded economy: the spec's audit, batched loading, stable pages, live news.</summary>
[Collection(ExplorerEconomy.Collection)]
public sealed class ServingTests(ExplorerEconomy economy)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_graphql_over_http_audit_of_graphql_http_passes_every_MUST()
    {
        await using var audit = ChildProcess.Node("audit.mjs", new Uri(economy.BaseUrl, "/graphql").ToString());
        await audit.Process.WaitForExitAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(audit.Output);
        audit.Output.ShouldContain("error: 0");
        audit.Process.ExitCode.ShouldBe(0, audit.Output);
    }

    [Fact]
    public async Task nested_fields_load_in_one_statement_per_level_whatever_the_page_size()
    {
        await economy.CaughtUpAsync(Ct);
        // One kind at a time: every page then asks the same nested loaders, so a fixed count means no N+1.
        const string payouts = """
            query($n: Int, $kind: PayoutKind) { payouts(first: $n, filter: { kind: $kind }) { edges { node { amount
              device { id earnings { rewards } recentPayouts { amount } } rewardBlock { total recentPayouts { amount } }
              cluster { id payments { amount } } transaction { events { signature } } } } } }
            """;
        foreach (var kind in new[] { "REWARD", "RENTAL_SETTLEMENT" })
        {
            var small = await StatementsAsync(payouts, new { n = 2, kind });
            var large = await StatementsAsync(payouts, new { n = 40, kind });
            TestContext.Current.TestOutputHelper?.WriteLine($"payouts {kind}: {small} statements for 2, {large} for 40");
            large.ShouldBe(small, kind);
            // rewards: page, devices, device payouts, blocks, block payouts, transactions; settlements: page, clusters, cluster events, transactions
            large.ShouldBeLessThanOrEqualTo(6, kind);
        }

        const string clusters = "query($n: Int) { clusters(first: $n) { edges { node { id payments { amount } payouts { amount device { id } } refunds { amount } } } } }";
        (await StatementsAsync(clusters, new { n = 25 })).ShouldBe(await StatementsAsync(clusters, new { n = 2 }));
        const string devices = "query($n: Int) { devices(first: $n) { edges { node { id recentPayouts { amount rewardBlock { total } } } } } }";
        (await StatementsAsync(devices, new { n = 25 })).ShouldBe(await StatementsAsync(devices, new { n = 2 }));
    }

    /// <summary>Npgsql's own command activities under this request's trace id (sent as traceparent): what the request ran.</summary>
    private async Task<int> StatementsAsync(string query, object variables)
    {
        var trace = ActivityTraceId.CreateRandom();
        var count = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                // Commands carry their SQL; opening a physical connection is an activity too, but no statement.
                if (a.Source.Name == "Npgsql" && a.TraceId == trace && (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")) is not null)
                    Interlocked.Increment(ref count);
            },
        };
        ActivitySource.AddActivityListener(listener);
        await economy.GraphQL.DataAsync(query, variables, Ct, r => r.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01"));
        return count;
    }

    [Fact]
    public async Task pages_stay_stable_while_the_indexer_keeps_writing()
    {
        await economy.CaughtUpAsync(Ct);
        const string query = """
            query($after: String, $order: EventOrder) { payouts(first: 6, after: $after, orderBy: $order) { pageInfo { hasNextPage endCursor }
              edges { cursor node { signature path slot } } } }
            """;
        var before = await economy.GraphQL.WalkAsync(query, ["payouts"], new() { ["order"] = "NEWEST_FIRST" }, Ct);

        // New rewards land on chain and the indexer stores them while the pages are walked again.
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = WriteRewardsAsync(20, writing.Token);
        var newest = await economy.GraphQL.WalkAsync(query, ["payouts"], new() { ["order"] = "NEWEST_FIRST" }, Ct);
        var oldest = await economy.GraphQL.WalkAsync(query, ["payouts"], new() { ["order"] = "OLDEST_FIRST" }, Ct);
        await writer;

        foreach (var walk in new[] { newest, oldest })
        {
            var keys = walk.Select(Key).ToList();
            keys.Distinct().Count().ShouldBe(keys.Count, "no payout twice");
            before.Select(Key).Except(keys).ShouldBeEmpty("nothing that existed before is skipped");
        }
        newest.Select(p => p.U64("slot")).ShouldBe(newest.Select(p => p.U64("slot")).OrderDescending());
        oldest.Select(p => p.U64("slot")).ShouldBe(oldest.Select(p => p.U64("slot")).Order());
        await economy.CaughtUpAsync(Ct);
    }

    private static string Key(JsonElement payout) => payout.Str("signature") + "/" + payout.Str("path");

    private async Task WriteRewardsAsync(int count, CancellationToken ct)
    {
        var chain = economy.Chain;
        var treasury = chain.Authority("treasury");
        var worker = await chain.NewWalletAsync(ct: ct);
        for (var i = 0; i < count; i++)
            await chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, chain.Network.Io, worker.PublicKey, 900, Guid.NewGuid(), 1_000 + (ulong)i), [treasury], ct);
    }

    [Fact]
    public async Task a_graphql_ws_client_receives_new_blocks_the_indexer_sees()
    {
        await economy.CaughtUpAsync(Ct);
        await using var client = ChildProcess.Node("subscribe.mjs", new Uri(economy.BaseUrl, "/graphql").ToString().Replace("http", "ws", StringComparison.Ordinal),
            "subscription { newBlocks { indexedSlot storedEvents } }", "2");
        (await client.NextLineAsync(Ct)).ShouldBe("connected", client.Output);
        // The first message is the head known at subscription time: from then on the subscription is live.
        var first = JsonDocument.Parse((await client.NextLineAsync(Ct))!).RootElement.GetProperty("data").GetProperty("newBlocks");
        await WriteRewardsAsync(1, Ct);
        var line = await client.NextLineAsync(Ct);
        line.ShouldNotBeNull(client.Output);
        var next = JsonDocument.Parse(line).RootElement.GetProperty("data").GetProperty("newBlocks");
        next.U64("indexedSlot").ShouldBeGreaterThan(first.U64("indexedSlot"));
        await client.Process.WaitForExitAsync(Ct);
        client.Process.ExitCode.ShouldBe(0, client.Output);
    }
}
