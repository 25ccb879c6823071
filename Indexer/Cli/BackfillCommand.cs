using System.Diagnostics;
using IoNet.Indexer.Configuration;
using IoNet.Indexer.Crawling;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Store;
using IoNet.Solana.Rpc;
using Marten;
using Spectre.Console;

namespace IoNet.Indexer.Cli;

/// <summary>What one backfill pass did: transactions crawled, and the sources another indexer held (it keeps those current).</summary>
public sealed record BackfillOutcome(long Transactions, int Sources, IReadOnlyList<string> HeldElsewhere, TimeSpan Elapsed)
{
    /// <summary>The closing line (the benchmark reads its first part).</summary>
    public string Summary => $"backfill done: {Transactions} transactions in {Elapsed.TotalSeconds:0.0} s"
        + (HeldElsewhere.Count > 0 ? $"; {HeldElsewhere.Count} of {Sources} sources are held by another indexer (a running follow keeps them current)"
            : Transactions == 0 ? $" (nothing new: all {Sources} sources were up to date)" : "");
}

/// <summary>`backfill`: every source once, down to its start slot, then up to the newest signature.</summary>
public static class BackfillCommand
{
    public static async Task<BackfillOutcome> RunAsync(IDocumentStore store, SourceLeases leases, SolanaRpcClient rpc, IndexerSettings settings,
        IndexerSources tracked, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tracked);
        ArgumentNullException.ThrowIfNull(leases);
        ulong nodeSlot;
        try
        {
            nodeSlot = await rpc.GetSlotAsync(settings.Commitment, ct).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new IndexerException($"the node at {settings.RpcUrl} does not answer ({e.Message}); start it (./ionet localnet or ./ionet up) or pass --rpc URL.", e);
        }
        await leases.EnsureSchemaAsync(ct).ConfigureAwait(false);
        var crawler = new SourceCrawler(rpc, new ChainEventWriter(store, leases), tracked.Network,
            settings.CrawlerOptions, line => Console.Error.WriteLine(line), tracked.Anchor,
            settings.BulkBackfill ? new BulkChainEventWriter(store, leases) : null);
        var watch = Stopwatch.StartNew();
        long total = 0;
        var held = new List<string>();

        async Task CrawlAsync(Func<TrackedSource, Action<string>> progressOf, Action<TrackedSource, string> done)
        {
            foreach (var source in tracked.Sources)
            {
                var progress = progressOf(source);
                await using var lease = await LeaseKeeper.AcquireAsync(leases, source.Name, settings.Holder, ct).ConfigureAwait(false);
                if (lease is null)
                {
                    held.Add(source.Name);
                    done(source, "held by another indexer");
                    continue;
                }
                SourceCheckpoint checkpoint;
                await using (var session = store.QuerySession())
                    checkpoint = await session.LoadAsync<SourceCheckpoint>(source.Name, ct).ConfigureAwait(false) ?? new SourceCheckpoint { Id = source.Name };
                // A transaction the node cannot serve is asked for again; after MaxUnavailableAttempts this throws
                // TransactionUnavailableException, the checkpoint still below it (nothing is skipped).
                await crawler.CrawlToEndAsync(source, settings.Holder, checkpoint, step =>
                {
                    total += step.Transactions;
                    progress($"{checkpoint.TransactionsSeen} txs, {total / Math.Max(watch.Elapsed.TotalSeconds, 0.001):0} tx/s, "
                        + $"newest slot {checkpoint.NewestSlot}, lag {(long)nodeSlot - (long)checkpoint.NewestSlot} slots"
                        + (step.Waiting is { } w ? $", waiting for {w.Signature}" : ""));
                }, ct).ConfigureAwait(false);
                await leases.ReleaseAsync(source.Name, settings.Holder, ct).ConfigureAwait(false);
                done(source, $"{checkpoint.TransactionsSeen} txs, newest slot {checkpoint.NewestSlot}");
            }
        }

        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            // A live progress line per source on a terminal.
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var tasks = tracked.Sources.ToDictionary(s => s.Name, s => context.AddTask(s.Name, autoStart: false, maxValue: 1));
                await CrawlAsync(
                    source =>
                    {
                        var task = tasks[source.Name];
                        task.StartTask();
                        return line => task.Description = Markup.Escape($"{source.Name}: {line}");
                    },
                    (source, line) =>
                    {
                        tasks[source.Name].Description = Markup.Escape($"{source.Name}: {line}");
                        tasks[source.Name].Value = 1;
                    }).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            // Redirected: one plain line per source when it is done, on stderr (stdout keeps only the summary).
            await CrawlAsync(_ => _ => { }, (source, line) => Console.Error.WriteLine($"{source.Name}: {line}")).ConfigureAwait(false);
        }
        return new BackfillOutcome(total, tracked.Sources.Count, held, watch.Elapsed);
    }
}
