using IoNet.Indexer.Store;
using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.Solana.Wire;
using IoNet.Solana.Rpc;

namespace IoNet.Indexer.Crawling;

/// <summary>
/// The block-range way to crawl a source (<see cref="SourceMode.Blocks"/>): forwards from the start slot, a range of
/// <see cref="CrawlerOptions.BlockRangeSize"/> slots at a time — getBlocks for the slots that have a block, getBlock for
/// each (base64, full details, <see cref="CrawlerOptions.Concurrency"/> in flight), keeping the transactions whose
/// account keys (static or loaded from lookup tables) hold the address, as getSignaturesForAddress would list them.
/// Each range is stored in one database transaction with the checkpoint moved to its last slot
/// (<see cref="SourceCheckpoint.BlocksThrough"/>), so a crash resumes after the last range stored and a replay stores
/// nothing twice. A skipped slot (-32007, -32009) has no block: it is passed over. A block the node cannot serve yet
/// (-32004, or no answer) holds the checkpoint below its range, recorded as <see cref="SourceCheckpoint.Waiting"/>
/// ("block N"), until the node serves it.
/// </summary>
public sealed partial class SourceCrawler
{
    /// <summary>One range; its result says BackfillDone once the range reached the node's newest complete slot.</summary>
    private async Task<CrawlResult> BlocksStepAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, CancellationToken ct) =>
        (await BlockRangeAsync(source, holder, checkpoint, ct).ConfigureAwait(false)).Result;

    /// <summary>Ranges until the node's newest complete slot.</summary>
    private async Task<CrawlResult> FollowBlocksAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        int transactions = 0, appended = 0, unknown = 0;
        while (true)
        {
            var (step, caughtUp) = await BlockRangeAsync(source, holder, checkpoint, ct).ConfigureAwait(false);
            transactions += step.Transactions;
            appended += step.Appended;
            unknown += step.Unknown;
            if (step.Interrupted || caughtUp)
                return new CrawlResult(transactions, appended, unknown, checkpoint.BackfillDone) { Waiting = step.Waiting };
        }
    }

    private async Task<(CrawlResult Result, bool CaughtUp)> BlockRangeAsync(TrackedSource source, string holder, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        var sink = checkpoint.BackfillDone ? writer : backfillSink ?? writer;
        // Up to the slot before the node's newest: the newest block may still be filling (localnet's is).
        var newest = await rpc.GetSlotAsync(options.Commitment, ct).ConfigureAwait(false);
        var last = newest == 0 ? 0 : newest - 1;
        var from = checkpoint.BlocksThrough is { } through ? through + 1 : source.StartSlot ?? options.StartSlot;
        if (from > last)
        {
            if (!checkpoint.BackfillDone)
            {
                checkpoint.BackfillDone = true;
                await sink.AppendAsync(source.Name, holder, [], checkpoint, ct).ConfigureAwait(false);
            }
            return (new CrawlResult(0, 0, 0, true), true);
        }
        var to = Math.Min(last, from + (ulong)Math.Max(1, options.BlockRangeSize) - 1);
        var slots = await rpc.GetBlocksAsync(from, to, options.Commitment, ct).ConfigureAwait(false);

        // getBlock for each slot, Concurrency in flight; only the matching transactions of a block are kept.
        var found = new List<(string Signature, TransactionResponse Response)>?[slots.Count];
        var failed = new RpcException?[slots.Count];
        var address = source.Address;
        var addressText = address.ToString();
        await Parallel.ForEachAsync(Enumerable.Range(0, slots.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = ct },
            async (i, token) =>
            {
                Block? block;
                try
                {
                    block = await rpc.GetBlockAsync(slots[i], TransactionEncoding.Base64, rewards: false, options.Commitment, token).ConfigureAwait(false);
                }
                catch (RpcException e) when (e.Code is RpcErrorCodes.BlockNotAvailable or RpcErrorCodes.SlotSkipped or RpcErrorCodes.LongTermStorageSlotSkipped)
                {
                    failed[i] = e;
                    return;
                }
                if (block is null)
                    return;
                var matching = new List<(string, TransactionResponse)>();
                foreach (var tx in block.Transactions ?? [])
                {
                    if (Touching(tx, address, addressText) is { } signature)
                        matching.Add((signature, new TransactionResponse { Slot = slots[i], BlockTime = block.BlockTime, Version = tx.Version, Transaction = tx.Transaction, Meta = tx.Meta }));
                }
                found[i] = matching;
            }).ConfigureAwait(false);

        var candidates = new List<(string Signature, TransactionResponse Response)>();
        for (var i = 0; i < slots.Count; i++)
        {
            if (failed[i] is { Code: RpcErrorCodes.SlotSkipped or RpcErrorCodes.LongTermStorageSlotSkipped } skipped)
            {
                _log($"{source.Name}: slot {slots[i]} skipped ({skipped.Message}); passed over");
                continue;
            }
            if (failed[i] is not null || found[i] is null)
            {
                var info = new SignatureInfo { Signature = $"block {slots[i]}", Slot = slots[i] };
                var waiting = await WaitForAsync(source, holder, checkpoint, info, failed[i]?.Message ?? "no block", sink, ct).ConfigureAwait(false);
                return (new CrawlResult(0, 0, 0, checkpoint.BackfillDone) { Waiting = waiting }, false);
            }
            candidates.AddRange(found[i]!);
        }

        // Oldest first (slot, then position in the block), as the events are stored; one found through another source is not stored again.
        var stored = await writer.StoredAsync(candidates.Select(c => c.Signature).ToArray(), ct).ConfigureAwait(false);
        var batch = new List<TransactionEvents>(candidates.Count);
        var unknown = 0;
        foreach (var (signature, response) in candidates)
        {
            if (stored.Contains(signature))
                continue;
            var (events, ignored) = Decode(signature, response.Slot, response.BlockTime, response);
            unknown += ignored;
            batch.Add(events);
        }
        var caughtUp = to >= last;
        checkpoint.BlocksThrough = to;
        checkpoint.NewestSlot = to;
        if (candidates.Count > 0)
            checkpoint.NewestSignature = candidates[^1].Signature;
        checkpoint.TransactionsSeen += candidates.Count;
        checkpoint.Waiting = null;
        if (caughtUp)
            checkpoint.BackfillDone = true;
        var appended = await sink.AppendAsync(source.Name, holder, batch, checkpoint, ct).ConfigureAwait(false);
        return (new CrawlResult(candidates.Count, appended, unknown, checkpoint.BackfillDone), caughtUp);
    }

    /// <summary>The transaction's signature when its account keys hold the address; null when they do not.</summary>
    private static string? Touching(BlockTransaction tx, PublicKey address, string addressText)
    {
        if (tx.Transaction is not { } encoded)
            return null;
        var loaded = tx.Meta?.LoadedAddresses;
        var inLoaded = loaded is not null && (loaded.Writable.Contains(addressText) || loaded.Readonly.Contains(addressText));
        if (encoded.WireBytes is { } wire)
        {
            // The 32 bytes appear in the wire bytes of every transaction listing the key: most others are passed over unread.
            if (!inLoaded && wire.AsSpan().IndexOf(address.Bytes) < 0)
                return null;
            try
            {
                var transaction = encoded.ToTransaction(tx.Version);
                return inLoaded || transaction.Message.AccountKeys.Contains(address) ? transaction.Id.ToString() : null;
            }
            catch (SolanaException) when (wire.Length >= 65)
            {
                // Bytes that do not read as a transaction but hold the address: kept, to be stored as unreadable.
                return Base58.Encode(wire.AsSpan(1, 64));
            }
        }
        if (encoded.Message is { } message && encoded.Signatures is [var first, ..])
            return inLoaded || message.AccountKeys.Any(k => k.Pubkey == addressText) ? first : null;
        return null;
    }
}
