using System.Diagnostics;
using System.Text.Json;
using IoNet.Indexer.Configuration;
using IoNet.Indexer.Crawling;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Reports;
using IoNet.Indexer.Running;
using IoNet.Indexer.Store;
using IoNet.Ledger.Store;
using IoNet.Solana;
using IoNet.Solana.Rpc;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using OpenTelemetry.Metrics;
using Spectre.Console;

// ionet indexer: follow (default) | backfill | status | verify | report [--json]
var command = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "follow";
var options = args.Where(a => a != command).ToArray();
var json = options.Contains("--json");
options = [.. options.Where(a => a != "--json")];
if (command is not ("follow" or "backfill" or "status" or "verify" or "report"))
{
    Console.Error.WriteLine($"ionet indexer: unknown command '{command}' (follow | backfill | status | verify | report [--json])");
    return 2;
}

try
{
    // follow serves /health; the one-shot commands need no web server.
    IHostApplicationBuilder builder = command == "follow" ? WebApplication.CreateBuilder(options) : Host.CreateApplicationBuilder(options);
    var settings = builder.Configuration.GetSection(IndexerSettings.Section).Get<IndexerSettings>() ?? new IndexerSettings();
    var connectionString = LedgerStore.ResolveConnectionString(builder.Configuration);
    var tracked = IndexerSources.Load(settings);
    var (network, sources) = (tracked.Network, tracked.Sources);
    var metrics = new IndexerMetrics();
    var rpc = new SolanaRpcClient(settings.RpcUrl, new SolanaRpcClientOptions
    {
        RateLimiter = RpcRateLimit.PerSecond(settings.RequestsPerSecond, burst: 10),
        RequestTimeout = settings.RequestTimeout,
        OnRetry = metrics.Retried,
    });

    builder.Services.AddSingleton(settings).AddSingleton(rpc).AddSingleton(network).AddSingleton(tracked)
        .AddSingleton(metrics)
        .AddSingleton(new SourceLeases(connectionString, settings.Schema, settings.LeaseTimeToLive));
    builder.Services.AddMarten(o =>
    {
        LedgerStore.ApplyConventions(o, connectionString, settings.Schema);
        LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
        o.Schema.For<SourceCheckpoint>();
    }).UseLightweightSessions().AddAsyncDaemon(DaemonMode.HotCold)
        // Schema changes before any hosted service starts (the daemon and the worker would otherwise race on DDL);
        // Marten takes an advisory lock for it, so several indexers may start together.
        .ApplyAllDatabaseChangesOnStartup();
    if (command != "follow")
    {
        // One-shot commands: stdout carries only their output (report --json); warnings go to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
    }

    if (command == "follow")
    {
        builder.Services.AddHostedService<IndexerWorker>();
        // Metrics: Prometheus scrape endpoint at /metrics; OTLP push too when an endpoint is configured.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(IndexerMetrics.MeterName).AddPrometheusExporter();
            if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                metrics.AddOtlpExporter();
        });
        var app = ((WebApplicationBuilder)builder).Build();
        app.MapPrometheusScrapingEndpoint();
        // Healthy when the database answers and a crawl pass finished recently.
        app.MapGet("/health", async (IndexerMetrics metrics, CancellationToken ct) =>
        {
            var database = await LedgerStore.PingAsync(connectionString, ct);
            var fresh = metrics.LastPass is { } last && DateTimeOffset.UtcNow - last < TimeSpan.FromSeconds(30);
            var body = new { status = database && fresh ? "healthy" : "unhealthy", service = "indexer", database, lastPass = metrics.LastPass, lagSlots = metrics.LagSlots };
            return database && fresh ? Results.Ok(body) : Results.Json(body, statusCode: 503);
        });
        await app.RunAsync();
        return 0;
    }

    using var host = ((HostApplicationBuilder)builder).Build();
    await host.StartAsync(); // runs the projection daemon
    var store = host.Services.GetRequiredService<IDocumentStore>();
    var ct = CancellationToken.None;

    switch (command)
    {
        case "backfill":
            var leases = host.Services.GetRequiredService<SourceLeases>();
            await leases.EnsureSchemaAsync(ct);
            var crawler = new SourceCrawler(rpc, new ChainEventWriter(store, leases), network,
                settings.CrawlerOptions, line => Console.Error.WriteLine(line), tracked.Anchor,
                settings.BulkBackfill ? new BulkChainEventWriter(store, leases) : null);
            var watch = Stopwatch.StartNew();
            long total = 0;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                foreach (var source in sources)
                {
                    var task = progress.AddTask(source.Name, maxValue: 1);
                    await using var lease = await LeaseKeeper.AcquireAsync(leases, source.Name, settings.Holder, ct);
                    if (lease is null)
                    {
                        task.Description = $"{source.Name} (held by another indexer)";
                        task.Value = 1;
                        continue;
                    }
                    SourceCheckpoint checkpoint;
                    await using (var session = store.QuerySession())
                        checkpoint = await session.LoadAsync<SourceCheckpoint>(source.Name, ct) ?? new SourceCheckpoint { Id = source.Name };
                    var nodeSlot = await rpc.GetSlotAsync(settings.Commitment, ct);
                    // A transaction the node cannot serve is asked for again; after a while this fails, holding the checkpoint.
                    await crawler.CrawlToEndAsync(source, settings.Holder, checkpoint, step =>
                    {
                        total += step.Transactions;
                        task.Description = $"{source.Name}: {checkpoint.TransactionsSeen} txs, {total / Math.Max(watch.Elapsed.TotalSeconds, 0.001):0} tx/s, "
                            + $"newest slot {checkpoint.NewestSlot}, lag {(long)nodeSlot - (long)checkpoint.NewestSlot} slots"
                            + (step.Waiting is { } w ? $", waiting for {w.Signature}" : "");
                    }, ct);
                    await leases.ReleaseAsync(source.Name, settings.Holder, ct);
                    task.Value = 1;
                }
            });
            await CatchUpAsync(store);
            AnsiConsole.MarkupLine($"backfill done: {total} transactions in {watch.Elapsed.TotalSeconds:0.0} s");
            break;

        case "status":
            var table = new Table().AddColumns("source", "backfill", "newest slot", "transactions seen", "updated");
            await using (var session = store.QuerySession())
            {
                foreach (var source in sources)
                {
                    var cp = await session.LoadAsync<SourceCheckpoint>(source.Name, ct);
                    table.AddRow(source.Name, cp is null ? "not started" : cp.Waiting is { } w ? $"waiting for {w.Signature}" : cp.BackfillDone ? "done" : "running",
                        cp?.NewestSlot.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", cp?.TransactionsSeen.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0",
                        cp?.UpdatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-");
                }
            }
            table.AddRow("chain slot", "", (await rpc.GetSlotAsync(settings.Commitment, ct)).ToString(System.Globalization.CultureInfo.InvariantCulture), "", "");
            AnsiConsole.Write(table);
            await using (var session = store.QuerySession())
                foreach (var problem in await LedgerProblems.FindAsync(session, network, ct))
                    Console.WriteLine($"problem: {problem}");
            break;

        case "verify":
        case "report":
            await CatchUpAsync(store);
            var report = await LedgerReports.BuildAsync(store, network, ct);
            if (command == "report")
            {
                Console.WriteLine(json
                    ? JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase })
                    : report.ToText());
                break;
            }
            var lines = await LedgerReports.VerifyAsync(report, rpc, network, ct);
            foreach (var line in lines)
                Console.WriteLine(line.Text);
            await host.StopAsync();
            return lines.All(l => l.Agrees) ? 0 : 1;
    }
    await host.StopAsync();
    return 0;
}
catch (SolanaException e)
{
    Console.Error.WriteLine($"ionet indexer: {e.Message}");
    return 2;
}
catch (InvalidOperationException e) when (e.Message.Contains("IONET_DB", StringComparison.Ordinal))
{
    Console.Error.WriteLine($"ionet indexer: {e.Message}");
    return 2;
}
catch (LeaseLostException e)
{
    Console.Error.WriteLine($"ionet indexer: {e.Message} (another indexer took the source over)");
    return 2;
}
catch (TimeoutException e)
{
    Console.Error.WriteLine($"ionet indexer: the projections did not catch up in time ({e.Message})");
    return 3;
}

// The async projections must have seen every stored event before a report reads them (an empty store has none).
static async Task CatchUpAsync(IDocumentStore store)
{
    var statistics = await store.Advanced.FetchEventStoreStatistics();
    if (statistics.EventCount > 0)
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
}

public partial class Program;
