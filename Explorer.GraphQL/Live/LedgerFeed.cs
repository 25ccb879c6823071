using IoNet.Explorer.Reads;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using Npgsql;

namespace IoNet.Explorer.Live;

/// <summary>
/// The one background poller of the Ledger's progress (two cheap statements per <see cref="ExplorerSettings.PollInterval"/>):
/// when the indexer's checkpoints, the stored events or the daemon's progression move, <see cref="Version"/> changes
/// (the cache's key) and the news fan out to subscribers: the newest slot followed, new payouts, new reward blocks.
/// Payouts and reward blocks are only looked for while someone subscribes to them.
/// </summary>
public sealed class LedgerFeed(LedgerDb db, ChainProgressReads progress, ExplorerSettings settings, ILogger<LedgerFeed> logger) : BackgroundService
{
    private long _version;
    private ChainProgress? _last;
    private long _payoutsAfter = -1;
    private decimal _blocksAfter = -1;
    private bool _indexesReady = !settings.EnsureIndexes;

    /// <summary>Changes whenever the Ledger moved; part of the cache's keys.</summary>
    public long Version => Interlocked.Read(ref _version);

    public ChainProgress? Last => _last;

    public Broadcast<ChainProgress> Heads { get; } = new();

    public Broadcast<Payout> Payouts { get; } = new();

    public Broadcast<RewardBlockPayouts> RewardBlocks { get; } = new();

    /// <summary>Market price ticks: no data source yet (the Marketplace issue's order book), so nothing is ever published.</summary>
    public Broadcast<object> PriceTicks { get; } = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            try
            {
                await PollAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("ledger feed: {Message}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One look at the Ledger (public so tests and benchmarks can step it).</summary>
    public async Task PollAsync(CancellationToken ct)
    {
        var now = await progress.ReadAsync(ct).ConfigureAwait(false);
        if (!_indexesReady && now.StoredEvents > 0)
            _indexesReady = await ReadIndexes.EnsureAsync(db, logger, ct).ConfigureAwait(false);
        // Until every marketplace table is there (a Ledger the marketplace never wrote to), look again on each poll.
        var tablesChanged = db.MarketTables.Count < LedgerDb.MarketTableNames.Count && await db.RefreshTablesAsync(ct).ConfigureAwait(false);
        var before = _last;
        if (before == now && !tablesChanged)
            return;
        _last = now;
        Interlocked.Increment(ref _version);
        if (before is null || now.IndexedSlot > before.IndexedSlot)
            Heads.Publish(now);
        await PublishPayoutsAsync(now, ct).ConfigureAwait(false);
        await PublishRewardBlocksAsync(ct).ConfigureAwait(false);
    }

    private async Task PublishPayoutsAsync(ChainProgress now, CancellationToken ct)
    {
        if (_payoutsAfter < 0 || Payouts.Count == 0)
        {
            _payoutsAfter = now.StoredEvents;
            return;
        }
        var sql = $"""
            select seq_id, stream_id, type, data from {db.Table("mt_events")}
            where seq_id > $1 and type in ('{db.Alias<RewardPaid>()}', '{db.Alias<RentalSettled>()}') order by seq_id limit 1000
            """;
        var rows = await db.QueryAsync(sql, p => p.Add(new NpgsqlParameter { Value = _payoutsAfter }),
            r => (Seq: r.GetInt64(0), Event: db.Event(r.GetString(2), r, 3), Signature: r.GetString(1)), ct).ConfigureAwait(false);
        foreach (var (seq, e, signature) in rows)
        {
            if (e is not null)
                Payouts.Publish(new Payout(new LedgerEventRecord(seq, signature, e)));
        }
        _payoutsAfter = rows.Count == 1000 ? rows[^1].Seq : Math.Max(_payoutsAfter, now.StoredEvents);
    }

    private async Task PublishRewardBlocksAsync(CancellationToken ct)
    {
        var table = db.DocumentTable<RewardBlockPayouts>();
        if (_blocksAfter < 0 || RewardBlocks.Count == 0)
        {
            var max = await db.QueryAsync($"select coalesce(max(id::numeric), 0) from {table}", null, r => r.GetDecimal(0), ct).ConfigureAwait(false);
            _blocksAfter = max.Count > 0 ? max[0] : 0;
            return;
        }
        var rows = await db.QueryAsync($"select id::numeric, data from {table} where id::numeric > $1 order by id::numeric",
            p => p.Add(new NpgsqlParameter { Value = _blocksAfter }), r => (Number: r.GetDecimal(0), Block: db.Document<RewardBlockPayouts>(r, 1)), ct).ConfigureAwait(false);
        foreach (var (number, block) in rows)
        {
            RewardBlocks.Publish(block);
            _blocksAfter = Math.Max(_blocksAfter, number);
        }
    }
}
