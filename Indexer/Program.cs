using System.Text.Json;
using IoNet.Indexer.Cli;
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
using Npgsql;
using OpenTelemetry.Metrics;

// ionet indexer [follow] | backfill | status [--json] | verify | report [--json], with --rpc, --addresses, --db (see --help)
var (cli, exit) = IndexerCommandLine.Parse(args, Console.Out, Console.Error);
if (cli is null)
    return exit; // usage printed for --help, or the one line saying what was refused
var (command, json) = (cli.Command, cli.Json);
string? connectionString = null;

try
{
    // follow serves /health; the one-shot commands need no web server. The content root is the app's own folder, so
    // its appsettings.json (and its log filters) apply wherever the indexer is started from.
    var contentRoot = AppContext.BaseDirectory;
    var configurationArgs = cli.ConfigurationArgs.ToArray();
    IHostApplicationBuilder builder = command == "follow"
        ? WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs, ContentRootPath = contentRoot })
        : Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = configurationArgs, ContentRootPath = contentRoot });
    builder.Configuration.AddInMemoryCollection(cli.Flags); // --rpc, --addresses, --db, --urls win over everything else
    var settings = IndexerSettings.From(builder.Configuration);
    connectionString = LedgerStore.ResolveConnectionString(builder.Configuration);
    var tracked = IndexerSources.Load(settings);
    var network = tracked.Network;
    await LedgerDatabase.EnsureReachableAsync(connectionString, CancellationToken.None);
    var metrics = new IndexerMetrics();
    // Paced at Indexer:RequestsPerSecond at most, slower while the provider answers 429 (it finds the provider's limit).
    var requestRate = new AdaptiveRequestRate(settings.RequestsPerSecond);
    var rpc = new SolanaRpcClient(settings.RpcUrl, new SolanaRpcClientOptions
    {
        RateLimiter = requestRate,
        RequestTimeout = settings.RequestTimeout,
        OnRetry = (failure, attempt) =>
        {
            requestRate.Observe(failure);
            metrics.Retried(failure, attempt);
        },
    });

    builder.Services.AddSingleton(settings).AddSingleton(rpc).AddSingleton(network).AddSingleton(tracked)
        .AddSingleton(metrics)
        .AddSingleton(new SourceLeases(connectionString, settings.Schema, settings.LeaseTimeToLive));
    builder.Services.AddMarten(o =>
    {
        LedgerStore.ApplyConventions(o, connectionString, settings.Schema);
        LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
        o.Schema.For<SourceCheckpoint>();
    }).UseLightweightSessions().AddAsyncDaemon(DaemonMode.HotCold);
    // Schema changes before any hosted service starts (the daemon and the worker would otherwise race on DDL), under
    // Marten's advisory lock, looked at again if a marketplace starting beside it created a table first.
    LedgerMigration.AddTo(builder.Services);
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
            var outcome = await BackfillCommand.RunAsync(store, host.Services.GetRequiredService<SourceLeases>(), rpc, settings, tracked, ct);
            await CatchUpAsync(store);
            Console.WriteLine(outcome.Summary);
            break;

        case "status":
            StatusCommand.Write(await StatusCommand.ReadAsync(store, settings, tracked, LedgerDatabase.Describe(connectionString), ct), json, Console.Out);
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
catch (IndexerException e)
{
    Console.Error.WriteLine($"{IndexerCommandLine.Name}: {e.Message}");
    return IndexerCommandLine.UsageExit;
}
catch (SolanaException e)
{
    Console.Error.WriteLine($"{IndexerCommandLine.Name}: {e.Message}");
    return IndexerCommandLine.UsageExit;
}
catch (InvalidOperationException e) when (e.Message.Contains(LedgerStore.ConnectionVariable, StringComparison.Ordinal))
{
    Console.Error.WriteLine($"{IndexerCommandLine.Name}: {e.Message}");
    return IndexerCommandLine.UsageExit;
}
catch (LeaseLostException e)
{
    // Before the database catch below: the fence's refusal arrives wrapped around an Npgsql exception.
    Console.Error.WriteLine($"{IndexerCommandLine.Name}: {e.Message} (another indexer took the source over)");
    return IndexerCommandLine.UsageExit;
}
catch (Exception e) when (connectionString is not null && NpgsqlCause(e) is { } database)
{
    // The database went away after the start (Marten wraps Npgsql's exceptions).
    Console.Error.WriteLine($"{IndexerCommandLine.Name}: {LedgerDatabase.Unreachable(connectionString, database).Message}");
    return IndexerCommandLine.UsageExit;
}
catch (TimeoutException e)
{
    Console.Error.WriteLine($"{IndexerCommandLine.Name}: the projections did not catch up in time ({e.Message})");
    return 3;
}

static NpgsqlException? NpgsqlCause(Exception? e)
{
    for (; e is not null; e = e.InnerException)
    {
        if (e is NpgsqlException npgsql)
            return npgsql;
    }
    return null;
}

// The async projections must have seen every stored event before a report reads them (an empty store has none).
static async Task CatchUpAsync(IDocumentStore store)
{
    var statistics = await store.Advanced.FetchEventStoreStatistics();
    if (statistics.EventCount > 0)
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
}

public partial class Program;
