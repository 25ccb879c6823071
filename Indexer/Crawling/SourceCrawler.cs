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

    /// <summary>Through signatures (the default) or through blocks (<see cref="SourceMode.Blocks"/>).</summary>
    public SourceMode Mode { get; init; }

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

    /// <summary>
    /// getTransaction batches in flight at once for each chunk being fetched (the rate limiter still paces them). Up to
    /// two chunks are fetched and decoded ahead of the one being appended, and the next signature page is asked for
    /// once a page's last chunk is on its way: at most two pages and three chunks of a source are in memory.
    /// </summary>
    public int Concurrency { get; init; } = 4;

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

    /// <summary>Slots a <see cref="SourceMode.Blocks"/> source reads per step (one getBlocks, then getBlock for each block in it).</summary>
    public int BlockRangeSize { get; init; } = 100;

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
public sealed partial class SourceCrawler(
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
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (source.Mode == SourceMode.Blocks)
            return await BlocksStepAsync(source, holder, checkpoint, ct).ConfigureAwait(false);
        var (page, first) = await PageAsync(source, checkpoint.OldestSignature, ct).ConfigureAwait(false);
        if (checkpoint.NewestSignature is null && page.Count > 0)
        {
            checkpoint.NewestSignature = page[0].Signature;
            checkpoint.NewestSlot = page[0].Slot;
        }
        var startSlot = source.StartSlot ?? options.StartSlot;
        var wanted = page.TakeWhile(s => s.Slot >= startSlot).ToList();
        var done = wanted.Count < page.Count || page.Count < options.PageSize;
        // Newest chunk first, each stored with the checkpoint moved to its oldest signature: a crash resumes right below it.
        // Once the page's last chunk is on its way, the page below it is asked for and its first chunk fetched and decoded
        // (older pages never change), so the node and the decoder stay busy across pages.
        var result = await ProcessAsync(source, holder, checkpoint, wanted, backwards: true, ct, first,
            done ? null : () => Prefetch(source, page[^1].Signature, startSlot, ct)).ConfigureAwait(false);
        if (done && !result.Interrupted)
        {
            checkpoint.BackfillDone = true;
            await (backfillSink ?? writer).AppendAsync(source.Name, holder, [], checkpoint, ct).ConfigureAwait(false);
        }
        return result with { BackfillDone = checkpoint.BackfillDone };
    }

    /// <summary>A backfill page asked for ahead, with its first chunk fetched and decoded (null when nothing in it is wanted).</summary>
    private sealed record PrefetchedPage(IReadOnlyList<SignatureInfo> Page, PreparedChunk? First);

    private readonly Dictionary<string, (string Before, Task<PrefetchedPage> Page)> _prefetched = new(StringComparer.Ordinal);

    /// <summary>Starts asking for the backfill page below <paramref name="before"/> and preparing its first chunk; the next step for the source takes it.</summary>
    private void Prefetch(TrackedSource source, string before, ulong startSlot, CancellationToken ct)
    {
        var prefetch = Task.Run(async () =>
        {
            var page = await rpc.GetSignaturesForAddressAsync(source.Address.ToString(),
                new SignaturesForAddressOptions { Before = before, Limit = options.PageSize, Commitment = options.Commitment }, ct).ConfigureAwait(false);
            var wanted = page.TakeWhile(s => s.Slot >= startSlot).Take(options.BackfillBatchSize).Reverse().ToArray();
            return new PrefetchedPage(page, wanted.Length > 0 ? await PrepareAsync(wanted, ct).ConfigureAwait(false) : null);
        }, ct);
        // A prefetch nobody takes (the pass stopped) must not go unobserved; a taker sees its failure and asks again.
        _ = prefetch.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        lock (_prefetched)
            _prefetched[source.Name] = (before, prefetch);
    }

    /// <summary>
    /// The backfill page below <paramref name="before"/> — the prefetched one (with its first chunk) when it is that page
    /// and it arrived, else asked for now.
    /// </summary>
    private async Task<(IReadOnlyList<SignatureInfo> Page, PreparedChunk? First)> PageAsync(TrackedSource source, string? before, CancellationToken ct)
    {
        Task<PrefetchedPage>? prefetched = null;
        lock (_prefetched)
        {
            if (_prefetched.Remove(source.Name, out var entry) && before is not null && entry.Before == before)
                prefetched = entry.Page;
        }
        if (prefetched is not null)
        {
            await Task.WhenAny(prefetched).ConfigureAwait(false);
            if (prefetched.IsCompletedSuccessfully)
                return (prefetched.Result.Page, prefetched.Result.First);
        }
        var page = await rpc.GetSignaturesForAddressAsync(source.Address.ToString(),
            new SignaturesForAddressOptions { Before = before, Limit = options.PageSize, Commitment = options.Commitment }, ct).ConfigureAwait(false);
        return (page, null);
    }

    /// <summary>Everything newer than the checkpoint, oldest first.</summary>
    public async Task<CrawlResult> FollowAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (source.Mode == SourceMode.Blocks)
            return await FollowBlocksAsync(source, holder, checkpoint, ct).ConfigureAwait(false);
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
    /// The next chunks are fetched and decoded while one is appended; appends stay one at a time and in order.
    /// </summary>
    private async Task<CrawlResult> ProcessAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, IReadOnlyList<SignatureInfo> signatures,
        bool backwards, CancellationToken ct, PreparedChunk? first = null, Action? atLastChunk = null)
    {
        int transactions = 0, appended = 0, unknown = 0;
        var sink = backwards ? backfillSink ?? writer : writer;
        // Within a chunk always oldest first (the order the events are stored in).
        var chunks = signatures.Chunk(backwards ? options.BackfillBatchSize : options.AppendBatchSize)
            .Select(group => backwards ? Enumerable.Reverse(group).ToArray() : group).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Up to ChunksAhead chunks are fetched and decoded ahead of the one appended. The first may come prepared
        // already (with its page, when the page was asked for ahead): the same signatures.
        var ahead = new Queue<Task<PreparedChunk>>();
        var started = 0;
        var lastStarted = false;
        Fill();
        try
        {
            for (var k = 0; k < chunks.Count; k++)
            {
                var prepared = await ahead.Dequeue().ConfigureAwait(false);
                if (prepared.Unavailable is { } info)
                {
                    var waiting = await WaitForAsync(source, holder, checkpoint, info, prepared.Reason!, sink, ct).ConfigureAwait(false);
                    return new CrawlResult(transactions, appended, unknown, checkpoint.BackfillDone) { Waiting = waiting };
                }
                Fill();
                var chunk = prepared.Chunk;
                unknown += prepared.Unknown;
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
                appended += await sink.AppendAsync(source.Name, holder, prepared.Batch, checkpoint, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (ahead.Count > 0)
            {
                // The pass stopped early (a transaction to wait for, a failed append): the chunks fetched ahead are dropped.
                await stop.CancelAsync().ConfigureAwait(false);
                foreach (var dropped in ahead)
                {
                    await Task.WhenAny(dropped).ConfigureAwait(false);
                    _ = dropped.Exception;
                }
            }
        }
        if (checkpoint.Waiting is not null)
        {
            // The whole list was stored: whatever the checkpoint waited for is no longer listed (or is stored now).
            checkpoint.Waiting = null;
            await sink.AppendAsync(source.Name, holder, [], checkpoint, ct).ConfigureAwait(false);
        }
        return new CrawlResult(transactions, appended, unknown, checkpoint.BackfillDone);

        void Fill()
        {
            while (ahead.Count < ChunksAhead && started < chunks.Count)
            {
                var chunk = chunks[started];
                ahead.Enqueue(started == 0 && first is not null && first.Chunk.Select(c => c.Signature).SequenceEqual(chunk.Select(c => c.Signature))
                    ? Task.FromResult(first)
                    : Task.Run(() => PrepareAsync(chunk, stop.Token), stop.Token));
                started++;
            }
            // Every chunk of this list is on its way: what comes after it (the page below) may start too.
            if (started == chunks.Count && !lastStarted)
            {
                lastStarted = true;
                atLastChunk?.Invoke();
            }
        }
    }

    /// <summary>Chunks fetched and decoded ahead of the one being appended (each with up to Concurrency requests in flight).</summary>
    private const int ChunksAhead = 2;

    /// <summary>A chunk fetched and decoded, ready to append; or the first of its transactions the node could not serve.</summary>
    private sealed record PreparedChunk(SignatureInfo[] Chunk, List<TransactionEvents> Batch, int Unknown, SignatureInfo? Unavailable = null, string? Reason = null);

    private async Task<PreparedChunk> PrepareAsync(SignatureInfo[] chunk, CancellationToken ct)
    {
        // A transaction already stored (found through another tracked address) is not fetched again.
        var stored = await writer.StoredAsync(chunk.Select(c => c.Signature).ToArray(), ct).ConfigureAwait(false);
        var (responses, unavailable) = await FetchAsync(chunk.Where(c => !stored.Contains(c.Signature)).ToArray(), ct).ConfigureAwait(false);
        var batch = new List<TransactionEvents>(chunk.Length);
        var unknown = 0;
        foreach (var info in chunk)
        {
            if (stored.Contains(info.Signature))
                continue;
            if (responses.GetValueOrDefault(info.Signature) is not { } response)
                return new PreparedChunk(chunk, batch, unknown, info, unavailable.GetValueOrDefault(info.Signature) ?? "no transaction");
            var (events, ignored) = Decode(info.Signature, info.Slot, info.BlockTime, response);
            unknown += ignored;
            batch.Add(events);
        }
        return new PreparedChunk(chunk, batch, unknown);
    }

    /// <summary>A transaction's Ledger events; one that does not decode becomes <see cref="TransactionUnreadable"/> (logged, counted as unknown).</summary>
    private (TransactionEvents Events, int Unknown) Decode(string signature, ulong slot, long? blockTime, TransactionResponse response)
    {
        try
        {
            var mapped = ChainEventMapper.Map(TransactionDecoder.Decode(response), network, anchor);
            foreach (var line in mapped.Ignored)
                _log($"unknown {line}");
            return (new TransactionEvents(signature, mapped.Events), mapped.Ignored.Count);
        }
        catch (SolanaException e)
        {
            _log($"unknown {signature}: malformed transaction: {e.Message}");
            return (new TransactionEvents(signature,
                [new TransactionUnreadable(signature, slot, blockTime, TransactionUnreadable.TransactionPath, e.Message)]), 1);
        }
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
        var parts = wanted.Chunk(options.FetchBatchSize).ToArray();
        var items = new RpcBatchItem<TransactionResponse?>[parts.Length][];
        // Up to Concurrency batches in flight; the answers are read in order afterwards.
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = ct },
            async (p, token) =>
            {
                var batch = new RpcBatch();
                items[p] = parts[p].Select(s => batch.Add(RpcRequests.GetTransaction(s.Signature, TransactionEncoding.Base64, options.Commitment))).ToArray();
                await rpc.SendBatchAsync(batch, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        for (var p = 0; p < parts.Length; p++)
        {
            for (var k = 0; k < parts[p].Length; k++)
            {
                var item = items[p][k];
                if (item.Error is { } error)
                {
                    // -32004/-32007/-32009: block not available, slot skipped, not in long-term storage: a node lagging
                    // behind its own signature index; the transaction exists, so ask again on the next pass.
                    if (error.Code is RpcErrorCodes.BlockNotAvailable or RpcErrorCodes.SlotSkipped or RpcErrorCodes.LongTermStorageSlotSkipped)
                    {
                        unavailable[parts[p][k].Signature] = error.Message;
                        continue;
                    }
                    throw error;
                }
                if (item.Value is { } response)
                    results[parts[p][k].Signature] = response;
            }
        }
        return (results, unavailable);
    }
}
