using System.Diagnostics.Metrics;
using IoNet.Marketplace.Http;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using Npgsql;

namespace IoNet.Marketplace.Chain;

/// <summary>
/// Sends each intent's transaction exactly once (docs/marketplace.md, "Sending transactions exactly once"). Per
/// intent, under its lock, one step at a time: build and sign a transaction, store it, and only then send it; send the
/// same bytes again until the node reports it landed or its blockhash expired without it landing — only then is a new
/// transaction built; done when the Ledger holds the transaction. Every write is a compare-and-set, so safety never
/// rests on the lock: a new transaction is built only once the previous one can never land, and is stored before
/// anyone sends it.
/// </summary>
public sealed class OutboxProcessor(
    TransactionOutbox outbox, OutboxSignal signal, IEnumerable<IOutboxOperation> operations, ChainAccess chain,
    OutboxSettings settings, OutboxMetrics metrics, TimeProvider clock, ILogger<OutboxProcessor> log) : BackgroundService
{
    private readonly Dictionary<string, IOutboxOperation> _operations = operations.ToDictionary(o => o.Kind, StringComparer.Ordinal);
    private bool _paused;

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
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IoNet.Solana.SolanaException)
            {
                log.LogWarning("Outbox pass failed, retried on the next: {Error}", e.Message);
            }
            await signal.WaitAsync(settings.PollInterval, stoppingToken);
        }
    }

    /// <summary>One step for each due intent; returns how many were looked at.</summary>
    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var due = await outbox.DueAsync(clock.GetUtcNow(), settings.BatchSize, cancellationToken);
        foreach (var key in due)
        {
            await using var held = await outbox.TryLockAsync(key, cancellationToken);
            if (held is null)
                continue; // another processor works on it right now
            // Read under the lock: what another processor did before it let go is seen.
            if (await outbox.FindAsync(key, cancellationToken) is not { } intent)
                continue;
            try
            {
                await StepAsync(intent, cancellationToken);
            }
            catch (RpcException e)
            {
                // The node did not answer as it should: nothing is concluded from silence; the next pass asks again.
                log.LogWarning("Outbox {Key}: the node failed ({Error}); retrying", key, e.Message);
                await outbox.PostponeAsync(key, $"node: {e.Message}", Backoff(intent), CancellationToken.None);
            }
        }
        return due.Count;
    }

    private async Task StepAsync(OutboxIntent intent, CancellationToken ct)
    {
        if (!_operations.TryGetValue(intent.Kind, out var operation))
        {
            await outbox.PostponeAsync(intent.Key, $"no operation of kind '{intent.Kind}' in this replica", clock.GetUtcNow() + settings.MaxBackoff, ct);
            return;
        }
        if (intent.State == OutboxState.Signed)
        {
            if (!await CheckSignedAsync(intent, ct))
                return;
            intent = (await outbox.FindAsync(intent.Key, ct))!;
        }
        if (intent.State == OutboxState.Pending)
            await BuildAndSendAsync(operation, intent, ct);
    }

    /// <summary>Follows the stored transaction; true when it is released and a new one may be built now.</summary>
    private async Task<bool> CheckSignedAsync(OutboxIntent intent, CancellationToken ct)
    {
        var signature = intent.Signature!;
        if (await outbox.LedgerHasAsync(signature, ct))
        {
            await CompleteAsync(intent, signature, ct);
            return false;
        }
        var report = await chain.Rpc.CheckAsync(signature, intent.LastValidBlockHeight!.Value, Commitment.Finalized, ct);
        var now = clock.GetUtcNow();
        switch (report.Fate)
        {
            case TransactionFate.Landed:
                // Paid; the intent is done once the indexer stored it (a fork that drops it shows up as Expired later).
                if (intent.LandedSlot is null)
                    log.LogInformation("Outbox {Key}: {Signature} landed in slot {Slot}; waiting for the Ledger", intent.Key, signature, report.Slot);
                await outbox.RecordLandedAsync(intent.Key, signature, report.Slot, now + settings.PollInterval, ct);
                return false;
            case TransactionFate.Failed:
                metrics.Released("failed");
                log.LogWarning("Outbox {Key}: {Signature} landed and failed ({Error}); a new transaction follows", intent.Key, signature, report.Err);
                await outbox.ReleaseAsync(intent.Key, signature, $"{signature} failed on chain: {report.Err}", Backoff(intent), ct);
                return false;
            case TransactionFate.Expired:
                // The status and the Ledger both say it never landed, and its blockhash can no longer be used.
                if (await outbox.LedgerHasAsync(signature, ct))
                {
                    await CompleteAsync(intent, signature, ct);
                    return false;
                }
                metrics.Released("expired");
                log.LogInformation("Outbox {Key}: {Signature} expired at block height {Height} without landing; building a new transaction",
                    intent.Key, signature, report.BlockHeight);
                return await outbox.ReleaseAsync(intent.Key, signature, $"{signature} expired without landing (block height {report.BlockHeight} > {report.LastValidBlockHeight})", now, ct);
            default:
                if (intent.SentAt is null || now - intent.SentAt >= settings.ResendInterval)
                    await SendAsync(intent.Key, signature, intent.Transaction!, ct);
                else
                    await outbox.PostponeAsync(intent.Key, null, intent.SentAt.Value + settings.ResendInterval, ct);
                return false;
        }
    }

    private async Task BuildAndSendAsync(IOutboxOperation operation, OutboxIntent intent, CancellationToken ct)
    {
        // Work someone already did (an earlier transaction, or anyone else's) is recognised, never paid again.
        if (await operation.FindInLedgerAsync(intent, ct) is { } done)
        {
            await CompleteAsync(intent, done, ct);
            return;
        }
        var (payer, instructions) = operation.Build(intent);
        var latest = (await chain.Rpc.GetLatestBlockhashAsync(Commitment.Finalized, ct)).Value;
        var message = MessageCompiler.CompileLegacy(payer.PublicKey, instructions, Blockhash.Parse(latest.Blockhash));
        var transaction = new Transaction(message).SignWith(payer);
        var bytes = transaction.Serialize();
        var signature = transaction.Id.ToString();
        if (!await outbox.StoreSignedAsync(intent.Key, intent.Attempt, bytes, signature, latest.LastValidBlockHeight, clock.GetUtcNow(), ct))
            return; // another processor stored one first: this transaction was never sent, and never will be
        metrics.Built(intent.Kind);
        log.LogInformation("Outbox {Key}: attempt {Attempt} is {Signature} (valid to block height {Height})", intent.Key, intent.Attempt + 1, signature, latest.LastValidBlockHeight);
        await PauseIfAskedAsync("stored", intent.Key, signature, ct);
        await SendAsync(intent.Key, signature, bytes, ct);
    }

    private async Task SendAsync(string key, string signature, byte[] bytes, CancellationToken ct)
    {
        string? refused = null;
        try
        {
            await chain.Rpc.SendTransactionAsync(bytes, cancellationToken: ct);
        }
        catch (RpcException e) when (TransactionFates.IsAlreadyProcessed(e))
        {
            // It landed already: the next step sees it.
        }
        catch (RpcException e) when (e.Kind is RpcErrorKind.PreflightFailure or RpcErrorKind.SignatureVerificationFailure)
        {
            // Refused before landing: the bytes stay stored and are tried again until the blockhash expires.
            refused = $"the node refused {signature}: {e.Message}";
            log.LogWarning("Outbox {Key}: {Refused}", key, refused);
        }
        metrics.Sent();
        var now = clock.GetUtcNow();
        await outbox.RecordSendAsync(key, signature, refused, now, now + settings.PollInterval, ct);
        await PauseIfAskedAsync("sent", key, signature, ct);
    }

    private async Task CompleteAsync(OutboxIntent intent, string signature, CancellationToken ct)
    {
        if (await outbox.CompleteAsync(intent.Key, signature, clock.GetUtcNow(), ct))
        {
            metrics.Completed(intent.Kind);
            log.LogInformation("Outbox {Key}: done, the Ledger holds {Signature}", intent.Key, signature);
        }
    }

    private DateTimeOffset Backoff(OutboxIntent intent)
    {
        var wait = settings.PollInterval * Math.Pow(2, Math.Min(intent.Attempt, 16));
        return clock.GetUtcNow() + (wait < settings.MaxBackoff ? wait : settings.MaxBackoff);
    }

    /// <summary>The crash tests' hook (OutboxSettings.PauseAfter): stop after this step, say so on stdout, wait to be killed.</summary>
    private async Task PauseIfAskedAsync(string step, string key, string signature, CancellationToken ct)
    {
        if (_paused || !string.Equals(settings.PauseAfter, step, StringComparison.Ordinal))
            return;
        _paused = true;
        await Console.Out.WriteLineAsync($"outbox paused after {step}: {key} {signature}");
        await Console.Out.FlushAsync(ct);
        await Task.Delay(Timeout.Infinite, ct);
    }
}

/// <summary>The outbox's counters (meter IoNet.Marketplace, exported with the service's others).</summary>
public sealed class OutboxMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _built;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _released;
    private readonly Counter<long> _completed;

    public OutboxMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MarketplaceMetrics.Name);
        _built = _meter.CreateCounter<long>("ionet.marketplace.outbox.transactions_built", description: "Transactions built and stored by the outbox, by kind");
        _sent = _meter.CreateCounter<long>("ionet.marketplace.outbox.sends", description: "sendTransaction calls of the outbox (the same bytes may be sent several times)");
        _released = _meter.CreateCounter<long>("ionet.marketplace.outbox.released", description: "Transactions given up because they expired unlanded or failed, by reason");
        _completed = _meter.CreateCounter<long>("ionet.marketplace.outbox.completed", description: "Intents done (the Ledger holds their transaction), by kind");
    }

    public void Built(string kind) => _built.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Sent() => _sent.Add(1);

    public void Released(string reason) => _released.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Completed(string kind) => _completed.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Dispose() => _meter.Dispose();
}
