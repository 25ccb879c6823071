using System.Diagnostics;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Indexing;

/// <summary>
/// The indexer as real processes against the real localnet and PostgreSQL: following, killed with -9 and restarted,
/// two and three at once sharing the sources through leases; verify agrees with the chain, the report is exact, and the
/// stored events equal a clean run's.
/// </summary>
public sealed class IndexerProcessTests(LocalnetChain chain, PostgresSchema schema) : IClassFixture<LocalnetChain>, IClassFixture<PostgresSchema>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly IndexerHarness _indexers = new(chain, schema);

    [Fact]
    public async Task a_follower_killed_with_minus_9_and_restarted_ends_where_a_clean_run_does_and_verify_agrees()
    {
        var dbSchema = schema.Another("crash");
        var first = await _indexers.StartFollowerAsync(dbSchema, "crashy");
        await _indexers.EconomyAsync(3);
        await first.KillAndWaitAsync(); // kill -9 mid-follow
        await _indexers.EconomyAsync(2);
        var second = await _indexers.StartFollowerAsync(dbSchema, "second");
        try
        {
            await _indexers.WaitUntilVerifiedAsync(dbSchema);
        }
        finally
        {
            second.Kill();
        }
        await _indexers.ShouldEqualAsync(dbSchema, await _indexers.CleanRunAsync("clean"));
    }

    [Fact]
    public async Task two_followers_share_the_sources_and_the_survivor_takes_over_the_killed_ones()
    {
        var dbSchema = schema.Another("pair");
        var a = await _indexers.StartFollowerAsync(dbSchema, "a");
        var b = await _indexers.StartFollowerAsync(dbSchema, "b");
        try
        {
            await _indexers.EconomyAsync(2);
            await _indexers.WaitUntilVerifiedAsync(dbSchema);

            await a.KillAndWaitAsync();
            await _indexers.EconomyAsync(1);
            await _indexers.WaitUntilVerifiedAsync(dbSchema);
            // The survivor has crawled by now: its Prometheus endpoint shows the indexer's metrics.
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{b.Port}/metrics", Ct);
            metrics.ShouldContain("ionet_indexer_lag_slots");
            metrics.ShouldContain("ionet_indexer_transactions");
        }
        finally
        {
            a.Kill();
            b.Kill();
        }
        (await _indexers.ReportAsync(dbSchema)).GetProperty("rewardsByWallet").EnumerateObject().Count().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task three_followers_split_the_sources_the_killed_holders_sources_move_to_the_others_and_the_result_equals_a_clean_run()
    {
        var dbSchema = schema.Another("trio");
        Follower[] followers = [
            await _indexers.StartFollowerAsync(dbSchema, "one"),
            await _indexers.StartFollowerAsync(dbSchema, "two"),
            await _indexers.StartFollowerAsync(dbSchema, "three")];
        try
        {
            await _indexers.EconomyAsync(2);
            await _indexers.WaitUntilVerifiedAsync(dbSchema);
            var holders = await _indexers.HoldersAsync(dbSchema);
            holders.Count.ShouldBe(8); // every mint and vault of the address file
            var victim = holders.Values.GroupBy(h => h).OrderByDescending(g => g.Count()).First().Key;
            var victimIndex = victim switch { "one" => 0, "two" => 1, _ => 2 };

            await followers[victimIndex].KillAndWaitAsync();
            // Waits for the takeover itself (the lease lives 3 s, renewed every 1 s); how long it took is printed, not
            // asserted: a loaded machine may take longer, and the deadline only keeps a lost takeover from hanging.
            var watch = Stopwatch.StartNew();
            while ((await _indexers.HoldersAsync(dbSchema)) is var now && (now.Count < holders.Count || now.Values.Contains(victim)))
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(2))
                    throw new ShouldAssertException($"the killed holder's sources were not taken over: {string.Join(", ", now)}");
                await Task.Delay(100, Ct); // polls the lease table: the takeover happens in other processes
            }
            TestContext.Current.TestOutputHelper?.WriteLine($"sources taken over {watch.Elapsed.TotalSeconds:F1} s after the kill");

            await _indexers.EconomyAsync(1);
            await _indexers.WaitUntilVerifiedAsync(dbSchema);
        }
        finally
        {
            foreach (var follower in followers)
                follower.Kill();
        }
        await _indexers.ShouldEqualAsync(dbSchema, await _indexers.CleanRunAsync("trio_clean"));
    }
}
