using IoNet.Indexer.Decoding;
using IoNet.Indexer.Store;
using IoNet.Ledger.Chain;
using IoNet.Programs.Anchor.Events;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;

namespace IoNet.Indexer.Crawling;

/// <summary>A tracked address and the name its lease and checkpoint go by; backfill stops below its start slot when it has one.</summary>
public sealed record TrackedSource(string Name, PublicKey Address)
{
    public ulong? StartSlot { get; init; }

    /// <summary>The part of the name before the address ("vault:treasury" of "vault:treasury:ADDRESS").</summary>
    public string Kind => Name.EndsWith($":{Address}", StringComparison.Ordinal) ? Name[..^(Address.ToString().Length + 1)] : Name;
}

public sealed record CrawlerOptions
{
    public Commitment Commitment { get; init; } = Commitment.Finalized;

    /// <summary>Signatures per getSignaturesForAddress page (the node allows 1..1000).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>getTransaction calls per JSON-RPC batch.</summary>
    public int FetchBatchSize { get; init; } = 50;

    /// <summary>Transactions per database transaction (events + checkpoint together) while following.</summary>
    public int AppendBatchSize { get; init; } = 200;

    /// <summary>
    /// The same during backfill: a whole page by default, since backfill goes through the COPY path, whose cost per
    /// database transaction (the fence, the existence check, the checkpoint, the commit) amortizes over the batch.
    /// </summary>
    public int BackfillBatchSize { get; init; } = 1000;

    /// <summary>Backfill stops at transactions older than this slot (0: the beginning of the chain), unless the source has its own.</summary>
    public ulong StartSlot { get; init; }

    /// <summary>
    /// How often the one-shot <see cref="SourceCrawler.CrawlToEndAsync"/> asks again for a listed transaction the node
    /// cannot serve before it gives up with an error (the checkpoint stays below it: nothing is skipped). A follower
    /// asks again on every pass, for as long as it takes.
    /// </summary>
    public int MaxUnavailableAttempts { get; init; } = 10;

    /// <summary>The one-shot crawl's first wait before it asks again; it doubles up to 30 s.</summary>
    public TimeSpan UnavailableRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What one crawl pass did.</summary>
public sealed record CrawlResult(int Transactions, int Appended, int Unknown, bool BackfillDone)
{
    /// <summary>The pass stopped at a transaction the node could not serve yet (<see cref="Waiting"/>); the next pass resumes there.</summary>
    public bool Interrupted => Waiting is not null;

    /// <summary>The transaction the source's checkpoint waits for.</summary>
    public UnavailableTransaction? Waiting { get; init; }
}

/// <summary>
/// Crawls one tracked address: backwards with `before` to the start point, then forwards with `until`. Each chunk of
/// transactions is decoded, mapped to Ledger events and appended together with the source's checkpoint, so a crash
/// at any point resumes from the last chunk that was stored — and a replay stores nothing twice.
/// </summary>
/// <remarks>
/// With a <paramref name="backfillSink"/> (the bulk COPY path) backfill pages are stored through it and following
/// through <paramref name="writer"/>; only where every projection is async, since the bulk path runs none inline.
/// </remarks>
public sealed class SourceCrawler(
    SolanaRpcClient rpc, ChainEventWriter writer, IoNetAddresses network, CrawlerOptions options, Action<string>? log = null,
    AnchorEventParser? anchor = null, IChainEventSink? backfillSink = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

    /// <summary>
    /// Backfills <paramref name="source"/> to its start point, then follows it to the node's newest transaction. A
    /// transaction the node cannot serve is asked for again after a growing wait; after
    /// <see cref="CrawlerOptions.MaxUnavailableAttempts"/> it throws <see cref="TransactionUnavailableException"/>,
    /// with the checkpoint still below that transaction. <paramref name="progress"/> sees each step's result.
    /// </summary>
    public async Task<long> CrawlToEndAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, Action<CrawlResult>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(checkpoint);
        long transactions = 0;
        while (!checkpoint.BackfillDone)
            transactions += (await PatientlyAsync(() => BackfillStepAsync(source, holder, checkpoint, ct)).ConfigureAwait(false)).Transactions;
        transactions += (await PatientlyAsync(() => FollowAsync(source, holder, checkpoint, ct)).ConfigureAwait(false)).Transactions;
        return transactions;

        async Task<CrawlResult> PatientlyAsync(Func<Task<CrawlResult>> step)
        {
            var delay = options.UnavailableRetryDelay;
            for (var attempt = 1; ; attempt++)
            {
                var result = await step().ConfigureAwait(false);
                progress?.Invoke(result);
                if (result.Waiting is not { } waiting)
                    return result;
                if (attempt >= options.MaxUnavailableAttempts)
                    throw new TransactionUnavailableException(source.Name, waiting);
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>One backfill page (older transactions); returns BackfillDone once the start point is reached.</summary>
    public async Task<CrawlResult> BackfillStepAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        var page = await rpc.GetSignaturesForAddressAsync(source.Address.ToString(),
            new SignaturesForAddressOptions { Before = checkpoint.OldestSignature, Limit = options.PageSize, Commitment = options.Commitment }, ct).ConfigureAwait(false);
        if (checkpoint.NewestSignature is null && page.Count > 0)
        {
            checkpoint.NewestSignature = page[0].Signature;
            checkpoint.NewestSlot = page[0].Slot;
        }
        var startSlot = source.StartSlot ?? options.StartSlot;
        var wanted = page.TakeWhile(s => s.Slot >= startSlot).ToList();
        var done = wanted.Count < page.Count || page.Count < options.PageSize;
        // Newest chunk first, each stored with the checkpoint moved to its oldest signature: a crash resumes right below it.
        var result = await ProcessAsync(source, holder, checkpoint, wanted, backwards: true, ct).ConfigureAwait(false);
        if (done && !result.Interrupted)
        {
            checkpoint.BackfillDone = true;
            await (backfillSink ?? writer).AppendAsync(source.Name, holder, [], checkpoint, ct).ConfigureAwait(false);
        }
        return result with { BackfillDone = checkpoint.BackfillDone };
    }

    /// <summary>Everything newer than the checkpoint, oldest first.</summary>
    public async Task<CrawlResult> FollowAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        var newer = new List<SignatureInfo>();
        string? before = null;
        while (true)
        {
            var page = await rpc.GetSignaturesForAddressAsync(source.Address.ToString(),
                new SignaturesForAddressOptions { Before = before, Until = checkpoint.NewestSignature, Limit = options.PageSize, Commitment = options.Commitment }, ct).ConfigureAwait(false);
            // A node that does not know `until` answers with its newest page instead of an error: never go below the
            // checkpoint's slot, and rely on idempotent appends for signatures of that same slot.
            var fresh = page.TakeWhile(s => s.Signature != checkpoint.NewestSignature && s.Slot >= checkpoint.NewestSlot).ToList();
            newer.AddRange(fresh);
            if (fresh.Count < page.Count || page.Count < options.PageSize)
                break;
            before = page[^1].Signature;
        }
        newer.Reverse();
        return await ProcessAsync(source, holder, checkpoint, newer, backwards: false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores <paramref name="signatures"/> chunk by chunk (backwards: newest first; forwards: oldest first), each chunk
    /// with the checkpoint moved past it. A transaction the node cannot serve yet (null, block not available, slot
    /// skipped) stops the pass before its chunk and is recorded in the checkpoint (<see cref="SourceCheckpoint.Waiting"/>),
    /// so the next pass asks again: the checkpoint never moves past a transaction that is not stored. A transaction
    /// that does not decode is stored as <see cref="TransactionUnreadable"/> (logged and counted as unknown).
    /// </summary>
    private async Task<CrawlResult> ProcessAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, IReadOnlyList<SignatureInfo> signatures, bool backwards, CancellationToken ct)
    {
        int transactions = 0, appended = 0, unknown = 0;
        var sink = backwards ? backfillSink ?? writer : writer;
        foreach (var group in signatures.Chunk(backwards ? options.BackfillBatchSize : options.AppendBatchSize))
        {
            // Within a chunk always oldest first (the order the events are stored in).
            var chunk = backwards ? Enumerable.Reverse(group).ToArray() : group;
            // A transaction already stored (found through another tracked address) is not fetched again.
            var stored = await writer.StoredAsync(chunk.Select(c => c.Signature).ToArray(), ct).ConfigureAwait(false);
            var (responses, unavailable) = await FetchAsync(chunk.Where(c => !stored.Contains(c.Signature)).ToArray(), ct).ConfigureAwait(false);
            var batch = new List<TransactionEvents>(chunk.Length);
            foreach (var info in chunk)
            {
                if (stored.Contains(info.Signature))
                    continue;
                if (responses.GetValueOrDefault(info.Signature) is not { } response)
                {
                    var waiting = await WaitForAsync(source, holder, checkpoint, info, unavailable.GetValueOrDefault(info.Signature) ?? "no transaction", sink, ct).ConfigureAwait(false);
                    return new CrawlResult(transactions, appended, unknown, checkpoint.BackfillDone) { Waiting = waiting };
                }
                try
                {
                    var mapped = ChainEventMapper.Map(TransactionDecoder.Decode(response), network, anchor);
                    foreach (var line in mapped.Ignored)
                        _log($"unknown {line}");
                    unknown += mapped.Ignored.Count;
                    batch.Add(new TransactionEvents(info.Signature, mapped.Events));
                }
                catch (SolanaException e)
                {
                    unknown++;
                    _log($"unknown {info.Signature}: malformed transaction: {e.Message}");
                    batch.Add(new TransactionEvents(info.Signature,
                        [new TransactionUnreadable(info.Signature, info.Slot, info.BlockTime, TransactionUnreadable.TransactionPath, e.Message)]));
                }
            }
            if (backwards)
                checkpoint.OldestSignature = chunk[0].Signature;
            else
            {
                checkpoint.NewestSignature = chunk[^1].Signature;
                checkpoint.NewestSlot = chunk[^1].Slot;
            }
            if (checkpoint.Waiting is { } held && chunk.Any(c => c.Signature == held.Signature))
                checkpoint.Waiting = null;
            checkpoint.TransactionsSeen += chunk.Length;
            transactions += chunk.Length;
            appended += await sink.AppendAsync(source.Name, holder, batch, checkpoint, ct).ConfigureAwait(false);
        }
        if (checkpoint.Waiting is not null)
        {
            // The whole list was stored: whatever the checkpoint waited for is no longer listed (or is stored now).
            checkpoint.Waiting = null;
            await sink.AppendAsync(source.Name, holder, [], checkpoint, ct).ConfigureAwait(false);
        }
        return new CrawlResult(transactions, appended, unknown, checkpoint.BackfillDone);
    }

    /// <summary>Records in the checkpoint (fenced, like every append) that the source waits for <paramref name="info"/>.</summary>
    private async Task<UnavailableTransaction> WaitForAsync(
        TrackedSource source, string holder, SourceCheckpoint checkpoint, SignatureInfo info, string reason, IChainEventSink sink, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var waiting = checkpoint.Waiting is { } same && same.Signature == info.Signature
            ? same
            : new UnavailableTransaction { Signature = info.Signature, Slot = info.Slot, Since = now };
        waiting.Attempts++;
        waiting.LastAttempt = now;
        waiting.Reason = reason;
        checkpoint.Waiting = waiting;
        _log($"waiting for {info.Signature} (slot {info.Slot}): the node cannot serve it yet ({reason}; attempt {waiting.Attempts}); {source.Name} holds its checkpoint until it is stored");
        await sink.AppendAsync(source.Name, holder, [], checkpoint, ct).ConfigureAwait(false);
        return waiting;
    }

    /// <summary>
    /// getTransaction for each signature, in JSON-RPC batches: the answers, and for each signature the node could not
    /// serve (no answer, block not available, slot skipped) why.
    /// </summary>
    private async Task<(Dictionary<string, TransactionResponse> Responses, Dictionary<string, string> Unavailable)> FetchAsync(SignatureInfo[] wanted, CancellationToken ct)
    {
        var results = new Dictionary<string, TransactionResponse>(wanted.Length, StringComparer.Ordinal);
        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in wanted.Chunk(options.FetchBatchSize))
        {
            var batch = new RpcBatch();
            var items = part.Select(s => batch.Add(RpcRequests.GetTransaction(s.Signature, TransactionEncoding.Base64, options.Commitment))).ToArray();
            await rpc.SendBatchAsync(batch, ct).ConfigureAwait(false);
            for (var k = 0; k < part.Length; k++)
            {
                var item = items[k];
                if (item.Error is { } error)
                {
                    // -32004/-32007/-32009: block not available, slot skipped, not in long-term storage: a node lagging
                    // behind its own signature index; the transaction exists, so ask again on the next pass.
                    if (error.Code is RpcErrorCodes.BlockNotAvailable or RpcErrorCodes.SlotSkipped or RpcErrorCodes.LongTermStorageSlotSkipped)
                    {
                        unavailable[part[k].Signature] = error.Message;
                        continue;
                    }
                    throw error;
                }
                if (item.Value is { } response)
                    results[part[k].Signature] = response;
            }
        }
        return (results, unavailable);
    }
}
