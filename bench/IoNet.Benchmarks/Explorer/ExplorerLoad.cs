using System.Diagnostics;
using System.Globalization;
using IoNet.Benchmarks.Http;
using IoNet.TestSupport;
using Npgsql;

namespace IoNet.Benchmarks.Explorer;

/// <summary>
/// `./ionet bench http explorer [--events N] [--duration S] [--warmup S] [--concurrency 1,16]`: the explorer's
/// benchmark. A Ledger of N events (default 1,000,000; <see cref="ExplorerLedger"/>, kept between runs) is served by
/// the real explorer (Release build, its own process) once with its HybridCache (Explorer:Cache=true) and once without,
/// and by the baseline, a minimal ASP.NET endpoint running hand-written SQL (<see cref="SqlExplorerEndpoint"/>). The
/// closed-loop load generator (<see cref="LoadGenerator"/>) sends the home query and a device page query to each at each
/// concurrency; every explorer row runs right after a baseline row of the same query and concurrency, and the ratio
/// GraphQL/SQL is taken against that adjacent row. The empty ASP.NET endpoint gives the floor of this machine.
/// </summary>
public static class ExplorerLoad
{
    private const string HomeName = "home";
    private const string DeviceName = "device page";

    public static async Task<int> RunAsync(string[] args)
    {
        var duration = TimeSpan.FromSeconds(HttpLoad.Number(args, "--duration", 10));
        var warmup = TimeSpan.FromSeconds(HttpLoad.Number(args, "--warmup", 3));
        var levels = (HttpLoad.Option(args, "--concurrency") ?? "1,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var shape = EconomyShape.Default with
        {
            Events = (int)HttpLoad.Number(args, "--events", EconomyShape.Default.Events),
            Devices = (int)HttpLoad.Number(args, "--devices", EconomyShape.Default.Devices),
            Wallets = (int)HttpLoad.Number(args, "--wallets", EconomyShape.Default.Wallets),
        };
        var schema = HttpLoad.Option(args, "--schema") ?? ExplorerLedger.DefaultSchema;
        var database = Environment.GetEnvironmentVariable("IONET_DB")
            ?? throw new InvalidOperationException("set IONET_DB (./ionet bench http explorer does it with the dev cluster)");

        var ledger = await ExplorerLedger.EnsureAsync(database, schema, shape, Console.Out);
        Console.WriteLine($"Ledger {schema}: {shape.Events:N0} events, {shape.Devices:N0} devices, {shape.Wallets:N0} wallets; "
            + $"{(ledger.Reused ? "reused, " : "")}generated {ledger.GeneratedAt:yyyy-MM-dd HH:mm} UTC in {ledger.AppendSeconds + ledger.ProjectSeconds:0} s "
            + $"(COPY {ledger.AppendSeconds:0.0} s, projections {ledger.ProjectSeconds:0.0} s)");
        if (args.Contains("--generate-only"))
            return 0;
        var explorerDll = RepoPaths.RepoFile("Explorer.GraphQL", "bin", "Release", "net10.0", "IoNet.Explorer.GraphQL.dll");
        if (!File.Exists(explorerDll))
            throw new InvalidOperationException($"{explorerDll} is missing: dotnet build Explorer.GraphQL -c Release (./ionet bench http explorer does it)");
        var devices = await ExplorerLedger.DevicesAsync(database, schema);

        var basePort = LoopbackPorts.FreePair();
        var emptyUrl = new Uri($"http://127.0.0.1:{basePort}");
        var sqlUrl = new Uri($"http://127.0.0.1:{basePort + 1}");
        var quiet = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning", ["IONET_DB"] = database };
        using var empty = HttpLoad.StartSelf(["http-empty-endpoint", emptyUrl.ToString()], []);
        using var sql = HttpLoad.StartSelf(["http-explorer-sql", sqlUrl.ToString(), schema, ledger.IoMint, ledger.IosdMint], quiet);
        var results = new List<(string Mode, LoadResult Result)>();
        try
        {
            await HttpLoad.WaitHealthyAsync(emptyUrl);
            await HttpLoad.WaitHealthyAsync(sqlUrl);
            Console.WriteLine($"loopback HTTP load: {Environment.ProcessorCount} cores, warm-up {warmup.TotalSeconds} s, measured {duration.TotalSeconds} s per row; load {LoadAverage()}");
            foreach (var concurrency in levels)
                results.Add(await MeasureAsync("floor", emptyUrl, new EmptyEndpointTarget("{}"), concurrency, warmup, duration));

            foreach (var cache in new[] { true, false })
            {
                var mode = cache ? "cache" : "no cache";
                var explorerUrl = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
                using var explorer = HttpLoad.Start("dotnet", [explorerDll], new(quiet)
                {
                    ["ASPNETCORE_URLS"] = explorerUrl.ToString(), ["Explorer__Schema"] = schema, ["Explorer__Cache"] = cache ? "true" : "false",
                    ["Explorer__IoMint"] = ledger.IoMint, ["Explorer__IosdMint"] = ledger.IosdMint, ["Explorer__UsdcMint"] = ledger.UsdcMint,
                    ["Explorer__AddressFile"] = "",
                });
                try
                {
                    await HttpLoad.WaitHealthyAsync(explorerUrl);
                    await WaitForReadIndexesAsync(database, schema);
                    await SameData.CheckAsync(explorerUrl, sqlUrl, HomeName, ExplorerQueries.Home, SqlExplorerEndpoint.HomePath, null);
                    foreach (var device in devices.Take(5).Concat(devices.TakeLast(5)))
                        await SameData.CheckAsync(explorerUrl, sqlUrl, DeviceName, ExplorerQueries.Device, SqlExplorerEndpoint.DevicePath, device);
                    Console.WriteLine($"explorer with {mode}: same data as the SQL baseline (home, 10 device pages); load {LoadAverage()}");
                    foreach (var concurrency in levels)
                    {
                        results.Add(await MeasureAsync(mode, sqlUrl, new SqlTarget($"{HomeName}: SQL", SqlExplorerEndpoint.HomePath, null), concurrency, warmup, duration));
                        results.Add(await MeasureAsync(mode, explorerUrl, new GraphQLTarget($"{HomeName}: GraphQL, {mode}", ExplorerQueries.Home, null), concurrency, warmup, duration));
                        results.Add(await MeasureAsync(mode, sqlUrl, new SqlTarget($"{DeviceName}: SQL", SqlExplorerEndpoint.DevicePath, devices), concurrency, warmup, duration));
                        results.Add(await MeasureAsync(mode, explorerUrl, new GraphQLTarget($"{DeviceName}: GraphQL, {mode}", ExplorerQueries.Device, devices), concurrency, warmup, duration));
                    }
                }
                finally
                {
                    HttpLoad.Stop(explorer);
                }
            }
        }
        finally
        {
            HttpLoad.Stop(empty);
            HttpLoad.Stop(sql);
        }
        Summarize(results, levels);
        return results.All(r => r.Result.Failures == 0 && r.Result.Requests > 0) ? 0 : 1;
    }

    private static async Task<(string Mode, LoadResult Result)> MeasureAsync(string mode, Uri url, IHttpLoadTarget target, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        var result = await LoadGenerator.RunAsync(url, target, concurrency, warmup, duration);
        Console.WriteLine($"{result}  load {LoadAverage()}");
        return (mode, result);
    }

    /// <summary>The markdown table docs/PERFORMANCE.md takes: each explorer row against the SQL row measured just before it.</summary>
    private static void Summarize(List<(string Mode, LoadResult Result)> results, int[] levels)
    {
        Console.WriteLine();
        Console.WriteLine("| query | c | SQL baseline: p50 / p99, req/s | GraphQL with cache: p50 / p99, req/s | ratio | SQL baseline: p50 / p99, req/s | GraphQL without cache: p50 / p99, req/s | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var query in new[] { HomeName, DeviceName })
        {
            foreach (var c in levels)
            {
                var cells = new List<string> { query, c.ToString(CultureInfo.InvariantCulture) };
                foreach (var mode in new[] { "cache", "no cache" })
                {
                    var rows = results.Where(r => r.Mode == mode && r.Result.Concurrency == c && r.Result.Target.StartsWith(query + ":", StringComparison.Ordinal)).Select(r => r.Result).ToList();
                    var baseline = rows.FirstOrDefault(r => r.Target.EndsWith(": SQL", StringComparison.Ordinal));
                    var graphql = rows.FirstOrDefault(r => r.Target.Contains("GraphQL", StringComparison.Ordinal));
                    cells.Add(baseline is null ? "" : Cell(baseline));
                    cells.Add(graphql is null ? "" : Cell(graphql));
                    cells.Add(baseline is null || graphql is null ? "" : $"**{graphql.RequestsPerSecond / baseline.RequestsPerSecond:0.00}**");
                }
                Console.WriteLine("| " + string.Join(" | ", cells) + " |");
            }
        }
        foreach (var floor in results.Where(r => r.Mode == "floor"))
            Console.WriteLine($"floor (empty ASP.NET endpoint) c={floor.Result.Concurrency}: {Cell(floor.Result)}");
    }

    private static string Cell(LoadResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.P50Ms:0.00} / {r.P99Ms:0.00} ms, {r.RequestsPerSecond:0}");

    /// <summary>
    /// The explorer creates its read indexes on mt_events at its first look at the Ledger (minutes on a fresh 1M-event
    /// Ledger, instant later): wait until they exist and none is being built, then refresh the planner's statistics.
    /// </summary>
    private static async Task WaitForReadIndexesAsync(string database, string schema)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        var stable = 0;
        var last = -1L;
        while (stable < 2)
        {
            await using var command = new NpgsqlCommand("""
                select (select count(*) from pg_indexes where schemaname = $1 and indexname like 'ix_explorer_%'),
                       (select count(*) from pg_stat_activity where state = 'active' and query ilike 'create index if not exists ix_explorer_%')
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            await using (var reader = await command.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                var (indexes, building) = (reader.GetInt64(0), reader.GetInt64(1));
                stable = indexes > 0 && building == 0 && indexes == last ? stable + 1 : 0;
                last = indexes;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(30))
                throw new TimeoutException("the explorer's read indexes were not built within 30 minutes");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        if (clock.Elapsed > TimeSpan.FromSeconds(5))
            Console.WriteLine($"the explorer built its read indexes in about {clock.Elapsed.TotalSeconds:0} s");
        await ExplorerLedger.ExecuteAsync(database, $"analyze \"{schema}\".mt_events");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
