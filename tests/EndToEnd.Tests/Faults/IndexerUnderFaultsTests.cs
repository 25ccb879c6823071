using IoNet.EndToEnd.Tests.Indexing;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Faults;

/// <summary>
/// The indexer process behind <see cref="FaultProxy"/> on 127.0.0.1 (429 with Retry-After, 500, 503, timeouts, resets
/// before and in the middle of a response, a node that does not know `until`, transactions whose block is not
/// available or whose slot reads as skipped, dropped websockets and notifications), over a scripted economy and then
/// while following: the final state equals a clean run's straight against the node.
/// </summary>
public sealed class IndexerUnderFaultsTests(LocalnetChain chain, PostgresSchema schema) : IClassFixture<LocalnetChain>, IClassFixture<PostgresSchema>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task every_fault_of_a_bad_node_leaves_the_same_final_state_as_a_clean_run()
    {
        await new EconomyScript(chain, new EconomyOptions { Operations = 150, Seed = 7 }).RunAsync(Ct);
        await using var proxy = await FaultProxy.StartAsync(chain.Process.RpcUrl, chain.Process.WebsocketUrl, seed: 5, Ct);
        proxy.RetryAfter = TimeSpan.FromSeconds(1);
        proxy.HoldFor = TimeSpan.FromSeconds(3);
        proxy.Set(FaultKind.TooManyRequests, 0.04);
        proxy.Set(FaultKind.InternalServerError, 0.04);
        proxy.Set(FaultKind.ServiceUnavailable, 0.03);
        proxy.Set(FaultKind.Timeout, 0.02);
        proxy.Set(FaultKind.ResetBeforeResponse, 0.03);
        proxy.Set(FaultKind.ResetMidBody, 0.03);
        proxy.Set(FaultKind.UnknownUntil, 0.5, 0, "getSignaturesForAddress");
        proxy.Set(FaultKind.BlockNotAvailable, 0.08, 0, "getTransaction");
        proxy.Set(FaultKind.SlotSkipped, 0.05, 0, "getTransaction");
        proxy.Set(FaultKind.WebsocketDrop, 0.1);
        proxy.Set(FaultKind.NotificationDrop, 0.3);

        var indexers = new IndexerHarness(chain, schema) { RpcUrl = proxy.RpcUrl.ToString() };
        indexers.Settings.AddRange(["--Indexer:RequestTimeout=00:00:01", "--Indexer:PageSize=50", "--Indexer:AppendBatchSize=20", "--Indexer:BackfillBatchSize=20", "--Indexer:RequestsPerSecond=1000"]);
        var dbSchema = schema.Another("faults");
        var follower = await indexers.StartFollowerAsync(dbSchema, "faulty");
        string metrics;
        try
        {
            // Following through the same faults: new transactions while it runs.
            await indexers.EconomyAsync(4);
            indexers.RpcUrl = chain.Process.RpcUrl.ToString(); // verify and the clean run ask the node itself
            await indexers.WaitUntilVerifiedAsync(dbSchema, attempts: 120);
            using var http = new HttpClient();
            metrics = await http.GetStringAsync($"http://127.0.0.1:{follower.Port}/metrics", Ct);
        }
        finally
        {
            follower.Kill();
        }

        foreach (var kind in new[] { FaultKind.TooManyRequests, FaultKind.InternalServerError, FaultKind.UnknownUntil, FaultKind.BlockNotAvailable, FaultKind.SlotSkipped })
            proxy.Injected(kind).ShouldBeGreaterThan(0, $"{kind} was never injected");
        (proxy.Injected(FaultKind.Timeout) + proxy.Injected(FaultKind.ResetBeforeResponse) + proxy.Injected(FaultKind.ResetMidBody)).ShouldBeGreaterThan(0);
        metrics.ShouldContain("ionet_indexer_rpc_retries");
        follower.Output.ShouldContain("the node cannot serve it yet");
        await indexers.ShouldEqualAsync(dbSchema, await indexers.CleanRunAsync("faults_clean"));
    }
}
