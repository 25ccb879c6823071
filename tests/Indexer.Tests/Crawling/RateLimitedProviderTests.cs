using IoNet.Indexer.Crawling;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;

namespace IoNet.Indexer.Tests.Crawling;

/// <summary>
/// A provider that allows N requests per second (the fault proxy's token bucket): the crawler, configured for more than
/// that, finds the limit and uses the budget (at least 90% of what the provider could have admitted while the crawler
/// had requests waiting to go) without a storm of 429s — asserted on what the proxy counted.
/// <para>
/// The budget counts the time a request of the crawler waited at its rate limiter, not the whole crawl: on a loaded
/// machine (CI runs ten test projects on two cores) the crawler is at times not scheduled at all, and a second in which
/// it asked for nothing says nothing about how well its limiter paces what it asks.
/// </para>
/// </summary>
public sealed class RateLimitedProviderTests(LocalnetChain chain, PostgresSchema schema) : LocalnetCrawlTest(chain, schema)
{
    private readonly PostgresSchema _schema = schema;

    private const double ProviderLimit = 10;
    private const int Rewards = 400;

    protected override IEnumerable<TrackedSource> Sources()
    {
        yield return new("vault:treasury", Chain.Network.TreasuryVault);
    }

    [Fact]
    public async Task the_crawler_uses_at_least_90_percent_of_a_providers_rate_limit_without_a_storm_of_429s()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var worker = await Chain.NewWalletAsync(ct: Ct);
        // 400 rewards in batches (one JSON-RPC batch of sendTransaction each), then wait for the last to land.
        var device = Guid.NewGuid();
        string? last = null;
        for (var sent = 0; sent < Rewards; sent += 40)
        {
            var blockhash = Blockhash.Parse((await Chain.Rpc.GetLatestBlockhashAsync(cancellationToken: Ct)).Value.Blockhash);
            var batch = new RpcBatch();
            for (var i = sent; i < sent + 40; i++)
            {
                var tx = new Transaction(MessageCompiler.CompileLegacy(treasury.PublicKey,
                    IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 1, device, (ulong)(1000 + i)), blockhash));
                tx.Sign([treasury]);
                batch.Add(RpcRequests.SendTransaction(tx.Serialize(), new SendTransactionOptions { SkipPreflight = true }));
                last = tx.Id.ToString();
            }
            await Chain.Rpc.SendBatchAsync(batch, Ct);
        }
        while ((await Chain.Rpc.GetSignatureStatusesAsync([last!], cancellationToken: Ct)).Value[0] is null)
            await Task.Delay(50, Ct); // polling the node for the landed transaction

        await using var proxy = await FaultProxy.StartAsync(Chain.Process.RpcUrl, Chain.Process.WebsocketUrl, cancellationToken: Ct);
        // The crawler believes it may send 2.5 times what the provider allows.
        var rate = new AdaptiveRequestRate(ProviderLimit * 2.5);
        var demand = new DemandMeter(rate);
        using var rpc = new SolanaRpcClient(proxy.RpcUrl, new SolanaRpcClientOptions
        {
            RateLimiter = demand,
            MaxRetries = 10,
            OnRetry = (failure, _) => rate.Observe(failure),
        });
        var (store, crawler, _) = await Indexer("rate_limited", rpc,
            new CrawlerOptions { PageSize = 60, FetchBatchSize = 1, AppendBatchSize = 20, BackfillBatchSize = 20, Concurrency = 4 });
        await using var _ = store;
        // The lease renewed as the crawl starts (the helper's own may be old by now).
        var leases = new IoNet.Indexer.Leases.SourceLeases(_schema.ConnectionString, _schema.Another("rate_limited"), TimeSpan.FromSeconds(60));
        proxy.LimitRequestsPerSecond(ProviderLimit);
        demand.Restart();
        foreach (var source in Sources())
        {
            (await leases.TryAcquireAsync(source.Name, "test", Ct)).ShouldBeTrue();
            var checkpoint = new IoNet.Indexer.Store.SourceCheckpoint { Id = source.Name };
            while (!checkpoint.BackfillDone)
                await crawler.BackfillStepAsync(source, "test", checkpoint, Ct);
            await crawler.FollowAsync(source, "test", checkpoint, Ct);
        }

        var admitted = proxy.AdmittedRequests;
        var refused = proxy.RateLimitedRequests;
        var span = proxy.RateLimitBudget;
        var waited = demand.WaitingTime;
        // The full bucket the provider starts with, and its rate over the time the crawler had a request waiting.
        var budget = ProviderLimit + ProviderLimit * waited.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"admitted {admitted} of a budget of {budget:0} over {waited.TotalSeconds:0.0} s with requests waiting ({admitted / budget:P0}; " +
            $"{admitted / span:P0} of the whole crawl's {span:0}), refused {refused} (429), rate at the end {rate.CurrentRate:0.0}/s");
        admitted.ShouldBeGreaterThan((long)Rewards, "one getTransaction per reward at least");
        (admitted / budget).ShouldBeGreaterThanOrEqualTo(0.9, $"admitted {admitted} of a budget of {budget:0} ({waited.TotalSeconds:0.0} s with requests waiting)");
        refused.ShouldBeLessThanOrEqualTo(admitted / 10, $"{refused} requests refused with 429 against {admitted} admitted");
        rate.RateLimitedCount.ShouldBe(refused, "every 429 reached the limiter");
        await using var q = store.QuerySession();
        (await q.LoadAsync<Ledger.Wallets.WalletSummary>(worker.PublicKey.ToString(), Ct))!.RewardsEarned
            .ShouldBe(Enumerable.Range(0, Rewards).Aggregate(0UL, (sum, i) => sum + (ulong)(1000 + i)));
    }

    /// <summary>A rate limiter passed through, measuring the time during which at least one request waited for its turn.</summary>
    private sealed class DemandMeter(System.Threading.RateLimiting.RateLimiter inner) : System.Threading.RateLimiting.RateLimiter
    {
        private readonly object _gate = new();
        private int _waiting;
        private long _since;
        private long _total;

        public TimeSpan WaitingTime
        {
            get
            {
                lock (_gate)
                    return TimeSpan.FromSeconds((double)(_total + (_waiting > 0 ? System.Diagnostics.Stopwatch.GetTimestamp() - _since : 0)) / System.Diagnostics.Stopwatch.Frequency);
            }
        }

        public void Restart()
        {
            lock (_gate)
            {
                _total = 0;
                _since = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }

        public override TimeSpan? IdleDuration => inner.IdleDuration;

        public override System.Threading.RateLimiting.RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

        protected override System.Threading.RateLimiting.RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);

        protected override async ValueTask<System.Threading.RateLimiting.RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Change(+1);
            try
            {
                return await inner.AcquireAsync(permitCount, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Change(-1);
            }
        }

        private void Change(int by)
        {
            lock (_gate)
            {
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                if (_waiting > 0)
                    _total += now - _since;
                _since = now;
                _waiting += by;
            }
        }
    }
}
