using IoNet.Ledger.Rewards;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Http;
using IoNet.Suppliers.Rewards;
using Marten;
using Npgsql;

namespace IoNet.Marketplace.Rewards;

/// <summary>
/// Runs the reward blocks (docs/rewards.md, "The service"). Every <see cref="RewardsSettings.PollInterval"/>, on the
/// replica that holds the PostgreSQL advisory lock of the schema's rewards: the block in progress is opened (In
/// Progress); a block whose time is over is closed — candidates gathered, nominated and split by the pure
/// <see cref="RewardBlock"/> decider — and its PayReward transactions enqueued in the transaction outbox in the same
/// PostgreSQL transaction (Processing); each payout succeeds once the indexer stored its RewardPaid; once all did, the
/// Merkle root of the payouts goes on chain in a memo through the outbox, and the block is Completed when that memo has
/// landed. Blocks are numbered by time from <see cref="RewardsSettings.Genesis"/> and the service always continues from
/// the last block it stored, so a restart or downtime never skips or repeats one (missed blocks are closed in order).
/// Every write is optimistic on the block's document, so safety never rests on the lock alone.
/// </summary>
public sealed class RewardBlockService(
    IDocumentStore store, MarketplaceDatabase database, TransactionOutbox outbox, RewardCandidates candidates, RewardsSettings settings,
    TimeProvider clock, ILogger<RewardBlockService> log) : BackgroundService
{
    private readonly EmissionSchedule _schedule = new(settings.Genesis.UtcDateTime.Year, settings.Genesis.UtcDateTime.Month);

    /// <summary>The nomination thresholds and weights (the numbers).</summary>
    public RewardRules Rules { get; } = RewardRules.Default;

    public EmissionSchedule Schedule => _schedule;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database, the indexer's tables or anything else failed: nothing was half-written (each step is one
                // transaction); the next pass goes on from what is stored.
                log.LogWarning("Reward blocks: this pass failed, retried on the next: {Error}", e.Message);
            }
            await Task.Delay(settings.PollInterval, stoppingToken);
        }
    }

    /// <summary>One pass (under the lock): open, close and settle what is due; false when another replica holds the lock.</summary>
    public async Task<bool> PassAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (!await TryLockAsync(connection, "pg_try_advisory_lock", ct))
            return false;
        try
        {
            await AdvanceAsync(ct);
            await SettleAsync(ct);
            return true;
        }
        finally
        {
            await TryLockAsync(connection, "pg_advisory_unlock", CancellationToken.None);
        }
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection connection, string function, CancellationToken ct)
    {
        // A session lock on this connection: PostgreSQL frees it when the connection ends (a killed replica included).
        await using var command = new NpgsqlCommand($"SELECT {function}(hashtext(@space))", connection);
        command.Parameters.AddWithValue("space", "ionet-rewards:" + database.Table("rewards"));
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>Opens and closes blocks in order until the one in progress now is open.</summary>
    private async Task AdvanceAsync(CancellationToken ct)
    {
        for (var step = 0; step < settings.MaxBlocksPerPass * 2; step++)
        {
            var now = clock.GetUtcNow();
            await using var session = store.LightweightSession();
            var newest = await session.Query<RewardBlockRecord>().OrderByDescending(r => r.Number).Select(r => r.Id).FirstOrDefaultAsync(ct);
            // Loaded by id so that the session knows the version it read (the optimistic check on save).
            var latest = newest is null ? null : await session.LoadAsync<RewardBlockRecord>(newest, ct);
            RewardBlockRecord record;
            if (latest is null)
            {
                var current = settings.BlockAt(now);
                var first = settings.FirstBlock ?? current;
                if (first < 0 || first > current || first > settings.LastBlock)
                    return;
                record = Opened(first, 0, now);
                session.Insert(record);
            }
            else if (latest.Status == RewardBlockStatus.InProgress)
            {
                if (latest.End > now)
                    return;
                var enqueued = await CloseAsync(session, latest, now, ct);
                if (!await SavedAsync(session, $"closing block {latest.Number}", ct))
                    continue;
                if (enqueued > 0)
                    outbox.Wake();
                log.LogInformation("Reward block {Block} closed: {Payouts} payouts of {Distributable} base units, {NotNominated} devices not nominated, {Carried} carried",
                    latest.Number, latest.Payouts.Count, latest.Distributable, latest.NotNominated.Count, latest.Undistributed);
                continue;
            }
            else if (latest.Number >= settings.LastBlock)
            {
                return;
            }
            else
            {
                // The latest block is closed, so its end has passed: the next one is in progress (or over, when catching up).
                record = Opened(checked(latest.Number + 1), latest.Undistributed, now);
                session.Insert(record);
            }
            if (await SavedAsync(session, $"opening block {record.Number}", ct))
                log.LogInformation("Reward block {Block} opened: {Start:O} to {End:O}, emission {Emission} + {CarriedIn} carried in",
                    record.Number, record.Start, record.End, record.Emission, record.CarriedIn);
        }
    }

    private RewardBlockRecord Opened(long block, ulong carriedIn, DateTimeOffset now)
    {
        var record = new RewardBlockRecord();
        if (record.Apply(RewardBlock.Open(null, block, _schedule, carriedIn, settings.StartOf(block), settings.EndOf(block), now)) is { } refused)
            throw new InvalidOperationException($"Reward block {block} cannot be opened: {refused}");
        return record;
    }

    /// <summary>Closes the block into its split and enqueues its payouts in the session; the number of payouts.</summary>
    private async Task<int> CloseAsync(IDocumentSession session, RewardBlockRecord record, DateTimeOffset now, CancellationToken ct)
    {
        var all = await candidates.AtAsync(record.End, Rules, ct);
        if (record.Apply(RewardBlock.Close(record.State(), all, now, Rules)) is { } refused)
            throw new InvalidOperationException($"Reward block {record.Number} cannot be closed: {refused}");
        foreach (var p in record.Payouts)
            await outbox.EnqueueAsync(session, OutboxEntry.Of(RewardPaymentPayload.Key(record.Number, p.Device), RewardPayment.KindName, p.Worker,
                new RewardPaymentPayload(record.Number, p.Device, p.Worker, p.Amount)), now, ct);
        session.Update(record);
        return record.Payouts.Count;
    }

    /// <summary>Every Processing block, oldest first: payouts the Ledger holds succeed; then the root; then Completed.</summary>
    private async Task SettleAsync(CancellationToken ct)
    {
        IReadOnlyList<long> processing;
        await using (var query = store.QuerySession())
            processing = await query.Query<RewardBlockRecord>().Where(r => r.Status == RewardBlockStatus.Processing)
                .OrderBy(r => r.Number).Select(r => r.Number).Take(100).ToListAsync(ct);
        foreach (var block in processing)
            await SettleAsync(block, ct);
    }

    private async Task SettleAsync(long block, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<RewardBlockRecord>(RewardBlockRecord.Key(block), ct) is not { Status: RewardBlockStatus.Processing } record)
            return;
        var changed = false;
        var number = checked((ulong)block);
        // Marten's LINQ does not compare ulong members: select by device, then the block here.
        var devices = record.Payouts.Select(p => p.Device.ToString("N")).ToArray();
        var paid = (await session.Events.QueryRawEventDataOnly<RewardPaid>().Where(e => e.Device.IsOneOf(devices)).ToListAsync(ct))
            .Where(e => e.Block == number)
            .GroupBy(e => e.Device, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var payout in record.Payouts.Where(p => p.Signature is null && p.Failure is null).ToList())
        {
            if (!paid.TryGetValue(payout.Device.ToString("N"), out var transfers))
                continue;
            if (transfers.Count != 1 || transfers[0].Worker != payout.Worker || transfers[0].Amount != payout.Amount)
            {
                // Never expected (only this service signs reward memos for the block): say so, and leave the block Processing.
                log.LogError("Reward block {Block}, device {Device}: the Ledger holds {Transfers}, not one payment of {Amount} to {Worker}",
                    block, payout.Device, string.Join(", ", transfers.Select(t => $"{t.Amount} to {t.Worker} ({t.Signature})")), payout.Amount, payout.Worker);
                continue;
            }
            changed |= record.Apply(RewardBlock.Succeed(record.State(), payout.Device, transfers[0].Signature, now)) is null;
        }

        var state = record.State()!;
        var enqueued = false;
        if (state.AllSettled && state.PaidPayouts.Count == 0)
        {
            changed |= record.Apply(RewardBlock.CompleteUnpaid(state, now)) is null;
        }
        else if (state.AllSettled && record.Root is null)
        {
            var commitment = state.Commitment()!;
            (record.Root, record.RootCount, record.RootTotal) = (commitment.Root.ToHex(), (ulong)commitment.Count, commitment.Total);
            await outbox.EnqueueAsync(session, OutboxEntry.Of(RewardRootPayload.Key(block), RewardRootCommitment.KindName, null,
                new RewardRootPayload(block, record.Root, (ulong)commitment.Count, commitment.Total)), now, ct);
            (changed, enqueued) = (true, true);
        }
        else if (state.AllSettled && await RootLandedAsync(block, ct) is { } signature)
        {
            if (record.Apply(RewardBlock.CommitRoot(state, record.Root!, signature, now)) is { } refused)
                log.LogError("Reward block {Block}: the root memo {Signature} landed but the block refuses it: {Refused}", block, signature, refused);
            else
                changed = true;
        }
        if (!changed)
            return;
        session.Update(record);
        if (!await SavedAsync(session, $"settling block {block}", ct))
            return;
        if (enqueued)
        {
            outbox.Wake();
            log.LogInformation("Reward block {Block}: every payout is in the Ledger; committing root {Root} ({Count} payouts, {Total} base units)",
                block, record.Root, record.RootCount, record.RootTotal);
        }
        if (record.Status == RewardBlockStatus.Completed)
            log.LogInformation("Reward block {Block} completed: paid {Paid}, carried out {CarriedOut}, root memo {Signature}",
                block, record.Paid, record.CarriedOut, record.RootSignature);
    }

    /// <summary>
    /// The root memo's signature once it landed (finalized): the outbox saw it land, and since the indexer records no
    /// event for a lone memo, the intent is completed here with that signature.
    /// </summary>
    private async Task<string?> RootLandedAsync(long block, CancellationToken ct)
    {
        var key = RewardRootPayload.Key(block);
        if (await outbox.FindAsync(key, ct) is not { } intent)
            return null;
        if (intent.State == OutboxState.Done)
            return intent.DoneSignature;
        if (intent is not { State: OutboxState.Signed, LandedSlot: not null, Signature: { } signature })
            return null;
        await outbox.CompleteAsync(key, signature, clock.GetUtcNow(), ct);
        return signature;
    }

    /// <summary>Saves; false when another writer changed or created the block first (it did this step).</summary>
    private async Task<bool> SavedAsync(IDocumentSession session, string what, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (IsConflict(e))
        {
            log.LogInformation("Reward blocks: another writer was first {What}", what);
            return false;
        }
    }

    private static bool IsConflict(Exception e) =>
        e is JasperFx.ConcurrencyException or JasperFx.DocumentAlreadyExistsException
        || (e is AggregateException a && a.InnerExceptions.All(IsConflict));
}
