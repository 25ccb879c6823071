using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Indexing;

/// <summary>
/// kill -9 of the indexer at 20 random points, during a backfill of a scripted economy and then while it
/// follows new ones: after the last restart the stored events and the report equal a clean run's — nothing lost,
/// nothing twice. Its own localnet, so the history is this test's alone.
/// </summary>
public sealed class IndexerCrashTests(LocalnetChain chain, PostgresSchema schema) : IClassFixture<LocalnetChain>, IClassFixture<PostgresSchema>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task twenty_kills_during_backfill_and_follow_end_in_the_state_of_a_clean_run()
    {
        var indexers = new IndexerHarness(chain, schema);
        // Small pages and chunks: the backfill is many stored steps, so a kill lands between and inside them.
        indexers.Settings.AddRange(["--Indexer:PageSize=20", "--Indexer:FetchBatchSize=4", "--Indexer:AppendBatchSize=3", "--Indexer:BackfillBatchSize=3", "--Indexer:RequestsPerSecond=1000"]);
        // A scripted economy (credit purchases, rentals, rewards, stakes, slashes, failures, v0 through a lookup table,
        // plain transfers) of about 340 transactions, then a little more between kills while following.
        await new EconomyScript(chain, new EconomyOptions { Operations = 300 }).RunAsync(Ct);
        var dbSchema = schema.Another("kills");
        var random = new Random(20261125);
        var kills = 0;
        string? lastOutput = null;
        for (; kills < 10; kills++)
        {
            // The same holder name, as a restarted pod keeps its name: it takes its leases back at once.
            var follower = await indexers.StartFollowerAsync(dbSchema, "crashy");
            await Task.Delay(random.Next(50, 1_500), Ct); // the fault under test: a kill at an arbitrary (seeded) moment
            await follower.KillAndWaitAsync();
            lastOutput = follower.Output;
        }
        var (stored, _, _) = await indexers.EventFingerprintAsync(dbSchema);
        TestContext.Current.TestOutputHelper?.WriteLine($"after {kills} kills during backfill: {stored} events stored");
        for (; kills < 20; kills++)
        {
            var follower = await indexers.StartFollowerAsync(dbSchema, "crashy");
            var work = indexers.EconomyAsync(1);
            await Task.Delay(random.Next(50, 1_500), Ct); // the fault under test: a kill at an arbitrary (seeded) moment
            await follower.KillAndWaitAsync();
            await work;
            lastOutput = follower.Output;
        }
        lastOutput.ShouldNotBeNull();

        var last = await indexers.StartFollowerAsync(dbSchema, "crashy");
        try
        {
            await indexers.WaitUntilVerifiedAsync(dbSchema, attempts: 80);
        }
        finally
        {
            last.Kill();
        }
        await indexers.ShouldEqualAsync(dbSchema, await indexers.CleanRunAsync("kills_clean"));
    }
}
