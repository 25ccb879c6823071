using System.Diagnostics;
using System.Globalization;
using IoNet.TestSupport;
using Npgsql;

namespace IoNet.Benchmarks.Http;

/// <summary>
/// `./ionet bench http [--duration S] [--warmup S] [--concurrency N[,N...]]`: the loopback load generator against the
/// empty ASP.NET endpoint and the real Marketplace.Api (Release build, its own process, a fresh schema, rate limits
/// off), in the same run, so the API's numbers read against the floor of this machine. Prints p50/p90/p99 and req/s.
/// Add a target (order placement) by implementing <see cref="IHttpLoadTarget"/> and listing it in <see cref="ApiTargets"/>.
/// </summary>
public static class HttpLoad
{
    private static IEnumerable<IHttpLoadTarget> ApiTargets() => [new DeviceRegistrationTarget(), new OrderPlacementTarget()];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "explorer")
            return await Explorer.ExplorerLoad.RunAsync(args[1..]);
        var duration = TimeSpan.FromSeconds(Number(args, "--duration", 10));
        var warmup = TimeSpan.FromSeconds(Number(args, "--warmup", 3));
        var levels = (Option(args, "--concurrency") ?? "1,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var database = Environment.GetEnvironmentVariable("IONET_DB")
            ?? throw new InvalidOperationException("set IONET_DB (./ionet bench http does it with the dev cluster)");
        var api = RepoPaths.RepoFile("Marketplace.Api", "bin", "Release", "net10.0", "IoNet.Marketplace.Api.dll");
        if (!File.Exists(api))
            throw new InvalidOperationException($"{api} is missing: dotnet build Marketplace.Api -c Release (./ionet bench does it)");
        var schema = $"bench_http_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var emptyPort = LoopbackPorts.FreePair();
        var apiPort = emptyPort + 1;
        var emptyUrl = new Uri($"http://127.0.0.1:{emptyPort}");
        var apiUrl = new Uri($"http://127.0.0.1:{apiPort}");

        using var empty = StartSelf(["http-empty-endpoint", emptyUrl.ToString()], []);
        using var service = Start("dotnet", [api], new()
        {
            ["IONET_DB"] = database, ["ASPNETCORE_URLS"] = apiUrl.ToString(), ["Marketplace__Schema"] = schema,
            ["Marketplace__RateLimits__Enabled"] = "false", ["Logging__LogLevel__Default"] = "Warning",
            ["Marketplace__SignIn__TokenKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)),
        });
        try
        {
            await WaitHealthyAsync(emptyUrl);
            await WaitHealthyAsync(apiUrl);
            Console.WriteLine($"loopback HTTP load: {Environment.ProcessorCount} cores, warm-up {warmup.TotalSeconds} s, measured {duration.TotalSeconds} s per row");
            var results = new List<LoadResult>();
            foreach (var concurrency in levels)
            {
                results.Add(await LoadGenerator.RunAsync(emptyUrl, new EmptyEndpointTarget(DeviceRegistrationTarget.Body), concurrency, warmup, duration));
                Console.WriteLine(results[^1]);
                foreach (var target in ApiTargets())
                {
                    results.Add(await LoadGenerator.RunAsync(apiUrl, target, concurrency, warmup, duration));
                    Console.WriteLine(results[^1]);
                }
            }
            return results.All(r => r.Failures == 0 && r.Requests > 0) ? 0 : 1;
        }
        finally
        {
            Stop(empty);
            Stop(service);
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    internal static Process Start(string file, string[] args, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"[{Path.GetFileName(args[0])}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// This benchmark program again, as another process running <paramref name="args"/>: through the `dotnet` host with
    /// the assembly's path (dotnet IoNet.Benchmarks.dll), never the apphost with the dll as its first argument (which
    /// the apphost would take for BenchmarkDotNet's arguments and wait for input).
    /// </summary>
    internal static Process StartSelf(string[] args, Dictionary<string, string> environment) =>
        Start("dotnet", [typeof(HttpLoad).Assembly.Location, .. args], environment);

    internal static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    internal static async Task WaitHealthyAsync(Uri url)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        // Generous: on a loaded 2-core machine a Release service can take well over 30 s to start.
        for (var attempt = 0; attempt < 720; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"{url} did not become healthy");
    }

    internal static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    internal static double Number(string[] args, string name, double fallback) =>
        Option(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
