using IoNet.Indexer.Decoding;
using IoNet.Indexer.Store;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;

namespace IoNet.Indexer.Crawling;

/// <summary>A tracked address and the name its lease and checkpoint go by.</summary>
public sealed record TrackedSource(string Name, PublicKey Address);

public sealed record CrawlerOptions
{
    public Commitment Commitment { get; init; } = Commitment.Finalized;

    /// <summary>Signatures per getSignaturesForAddress page (the node allows 1..1000).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>getTransaction calls per JSON-RPC batch.</summary>
    public int FetchBatchSize { get; init; } = 50;

    /// <summary>Transactions per database transaction (events + checkpoint together).</summary>
    public int AppendBatchSize { get; init; } = 200;

    /// <summary>Backfill stops at transactions older than this slot (0: the beginning of the chain).</summary>
    public ulong StartSlot { get; init; }
}

/// <summary>What one crawl pass did.</summary>
public sealed record CrawlResult(int Transactions, int Appended, int Unknown, int Skipped, bool BackfillDone);

/// <summary>
/// Crawls one tracked address: backwards with `before` to the start point, then forwards with `until`. Each chunk of
/// transactions is decoded, mapped to Ledger events and appended together with the source's checkpoint, so a crash
/// at any point resumes from the last chunk that was stored — and a replay stores nothing twice.
/// </summary>
public sealed class SourceCrawler(SolanaRpcClient rpc, ChainEventWriter writer, IoNetAddresses network, CrawlerOptions options, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

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
        var wanted = page.TakeWhile(s => s.Slot >= options.StartSlot).ToList();
        var done = wanted.Count < page.Count || page.Count < options.PageSize;
        var result = await ProcessAsync(source, holder, checkpoint, Enumerable.Reverse(wanted).ToList(), backwards: true, ct).ConfigureAwait(false);
        if (done)
        {
            checkpoint.BackfillDone = true;
            await writer.AppendAsync(source.Name, holder, [], checkpoint, ct).ConfigureAwait(false);
        }
        return result with { BackfillDone = done };
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

    private async Task<CrawlResult> ProcessAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, IReadOnlyList<SignatureInfo> signatures, bool backwards, CancellationToken ct)
    {
        int appended = 0, unknown = 0, skipped = 0;
        foreach (var chunk in signatures.Chunk(options.AppendBatchSize))
        {
            var responses = await FetchAsync(chunk, ct).ConfigureAwait(false);
            var batch = new List<TransactionEvents>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                var info = chunk[i];
                if (responses[i] is not { } response)
                {
                    skipped++;
                    _log($"skipped {info.Signature} (slot {info.Slot}): the node has no transaction for it");
                    continue;
                }
                try
                {
                    var mapped = ChainEventMapper.Map(TransactionDecoder.Decode(response), network);
                    foreach (var line in mapped.Ignored)
                        _log($"unknown {line}");
                    unknown += mapped.Ignored.Count;
                    batch.Add(new TransactionEvents(info.Signature, mapped.Events));
                }
                catch (SolanaException e)
                {
                    unknown++;
                    _log($"unknown {info.Signature}: malformed transaction: {e.Message}");
                }
            }
            if (backwards)
                checkpoint.OldestSignature = chunk[0].Signature;
            else
            {
                checkpoint.NewestSignature = chunk[^1].Signature;
                checkpoint.NewestSlot = chunk[^1].Slot;
            }
            checkpoint.TransactionsSeen += chunk.Length;
            appended += await writer.AppendAsync(source.Name, holder, batch, checkpoint, ct).ConfigureAwait(false);
        }
        return new CrawlResult(signatures.Count, appended, unknown, skipped, checkpoint.BackfillDone);
    }

    /// <summary>getTransaction for each signature, in JSON-RPC batches; null where the node has no such transaction.</summary>
    private async Task<TransactionResponse?[]> FetchAsync(SignatureInfo[] chunk, CancellationToken ct)
    {
        var results = new TransactionResponse?[chunk.Length];
        for (var offset = 0; offset < chunk.Length; offset += options.FetchBatchSize)
        {
            var count = Math.Min(options.FetchBatchSize, chunk.Length - offset);
            var batch = new RpcBatch();
            var items = Enumerable.Range(offset, count)
                .Select(i => batch.Add(RpcRequests.GetTransaction(chunk[i].Signature, TransactionEncoding.Json, options.Commitment)))
                .ToArray();
            await rpc.SendBatchAsync(batch, ct).ConfigureAwait(false);
            for (var k = 0; k < count; k++)
            {
                var item = items[k];
                if (item.Error is { } error)
                {
                    // -32004/-32007/-32009: block not available, slot skipped, not in long-term storage: skip, never loop.
                    if (error.Code is RpcErrorCodes.BlockNotAvailable or RpcErrorCodes.SlotSkipped or RpcErrorCodes.LongTermStorageSlotSkipped)
                        continue;
                    throw error;
                }
                results[offset + k] = item.Value;
            }
        }
        return results;
    }
}
