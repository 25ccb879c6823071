using System.Collections.Concurrent;
using IoNet.Indexer.Configuration;
using IoNet.Indexer.Crawling;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Store;
using IoNet.Programs.Flows;
using IoNet.Solana;
using IoNet.Solana.Rpc;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoNet.Indexer.Running;

/// <summary>
/// Follows every tracked source it holds the lease for: backfill first, then forward passes on a timer and whenever
/// a logs notification mentions the source. Leases are renewed on their own timer, so a dead process's sources move
/// to another process once its leases expire; polling after a websocket reconnect fills every gap.
/// </summary>
public sealed class IndexerWorker(
    IndexerSettings settings, IDocumentStore store, SourceLeases leases, SolanaRpcClient rpc, IndexerSources tracked,
    IndexerMetrics metrics, ILogger<IndexerWorker> logger) : BackgroundService
{
    private readonly IReadOnlyList<TrackedSource> sources = tracked.Sources;
    private readonly ConcurrentDictionary<string, bool> _held = new();
    private readonly SemaphoreSlim _wake = new(0);

    public IReadOnlyCollection<string> HeldSources => [.. _held.Keys];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writer = new ChainEventWriter(store, leases);
        var bulk = settings.BulkBackfill ? new BulkChainEventWriter(store, leases) : null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await leases.EnsureSchemaAsync(stoppingToken).ConfigureAwait(false);
                await writer.EnsureSchemaAsync(stoppingToken).ConfigureAwait(false);
                if (bulk is not null)
                    await bulk.EnsureSchemaAsync(stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (attempt < 5 && e is Npgsql.NpgsqlException or Marten.Exceptions.MartenSchemaException)
            {
                // Another indexer starting at the same moment may be creating the same tables: try again shortly.
                logger.LogWarning("schema not ready ({Message}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), stoppingToken).ConfigureAwait(false);
            }
        }
        var crawler = new SourceCrawler(rpc, writer, tracked.Network, settings.CrawlerOptions,
            line => logger.LogWarning("{Line}", line), tracked.Anchor, bulk);

        var renewal = RenewLeasesAsync(stoppingToken);
        var wakeups = ListenAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Parallel.ForEachAsync(sources, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = stoppingToken },
                    async (source, ct) => await PassAsync(source, crawler, ct).ConfigureAwait(false)).ConfigureAwait(false);
                metrics.LastPass = DateTimeOffset.UtcNow;
                await _wake.WaitAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var source in _held.Keys)
                await leases.ReleaseAsync(source, settings.Holder, CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(renewal, wakeups).ConfigureAwait(false);
        }
    }

    private async Task PassAsync(TrackedSource source, SourceCrawler crawler, CancellationToken ct)
    {
        if (!await leases.TryAcquireAsync(source.Name, settings.Holder, ct).ConfigureAwait(false))
        {
            _held.TryRemove(source.Name, out _);
            return;
        }
        if (_held.TryAdd(source.Name, true))
            logger.LogInformation("holding {Source} ({Address})", source.Name, source.Address);
        try
        {
            SourceCheckpoint checkpoint;
            await using (var session = store.QuerySession())
                checkpoint = await session.LoadAsync<SourceCheckpoint>(source.Name, ct).ConfigureAwait(false) ?? new SourceCheckpoint { Id = source.Name };
            var slotBefore = await rpc.GetSlotAsync(settings.Commitment, ct).ConfigureAwait(false);
            var following = checkpoint.BackfillDone;
            var result = following
                ? await crawler.FollowAsync(source, settings.Holder, checkpoint, ct).ConfigureAwait(false)
                : await crawler.BackfillStepAsync(source, settings.Holder, checkpoint, ct).ConfigureAwait(false);
            metrics.Transactions.Add(result.Transactions);
            metrics.Appended.Add(result.Appended);
            metrics.Unknown.Add(result.Unknown);
            metrics.Unavailable.Add(result.Interrupted ? 1 : 0);
            if (!checkpoint.BackfillDone && !result.Interrupted)
                _wake.Release(); // more backfill to do: no waiting
            // A follow pass has seen everything up to the slot it started at; during backfill the lag is the whole way back.
            var slotNow = await rpc.GetSlotAsync(settings.Commitment, ct).ConfigureAwait(false);
            metrics.LagSlots = following ? (long)slotNow - (long)slotBefore : (long)slotNow - (long)checkpoint.NewestSlot;
        }
        catch (SolanaException e) when (!ct.IsCancellationRequested)
        {
            metrics.RpcErrors.Add(1, new KeyValuePair<string, object?>("code", (e as RpcException)?.Code));
            logger.LogWarning("pass over {Source} failed, retrying next pass: {Message}", source.Name, e.Message);
        }
        catch (LeaseLostException e) when (!ct.IsCancellationRequested)
        {
            // The fence refused the append: the source now belongs to another process.
            _held.TryRemove(source.Name, out _);
            logger.LogWarning("append for {Source} refused: {Message}", source.Name, e.Message);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is Npgsql.NpgsqlException or Marten.Exceptions.MartenException)
        {
            // Any other database failure (a dropped connection, a constraint, a timeout) is not a lost lease: keep the
            // source and try again on the next pass; the fence guards the next append.
            logger.LogWarning("pass over {Source} failed on the database, retrying next pass: {Message}", source.Name, e.InnerException?.Message ?? e.Message);
        }
    }

    private async Task RenewLeasesAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(settings.LeaseTimeToLive / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                foreach (var source in _held.Keys)
                {
                    if (!await leases.TryAcquireAsync(source, settings.Holder, ct).ConfigureAwait(false))
                        _held.TryRemove(source, out _);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Npgsql.NpgsqlException e)
        {
            logger.LogError("lease renewal stopped: {Message}", e.Message);
        }
    }

    /// <summary>logsSubscribe per source wakes the loop early; after a reconnect the next pass backfills the gap.</summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        try
        {
            await using var streaming = new SolanaStreamingClient(settings.WebsocketUri);
            streaming.GapDetected += (_, gap) =>
            {
                logger.LogInformation("websocket reconnected after slot {Before}; first slot after {After}: polling fills the gap", gap.LastSlotBefore, gap.FirstSlotAfter);
                _wake.Release();
            };
            var subscriptions = new List<StreamSubscription<RpcResponse<LogsNotification>>>();
            foreach (var source in sources)
                subscriptions.Add(await streaming.LogsSubscribeAsync(source.Address.ToString(), settings.Commitment, ct).ConfigureAwait(false));
            await Task.WhenAll(subscriptions.Select(async s =>
            {
                await foreach (var _ in s.ReadAllAsync(ct).ConfigureAwait(false))
                    _wake.Release();
            })).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (SolanaException e)
        {
            logger.LogWarning("no websocket wake-ups ({Message}); polling every {Interval}", e.Message, settings.PollInterval);
        }
    }
}
