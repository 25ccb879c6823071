using System.Diagnostics;

namespace IoNet.Benchmarks.Http;

/// <summary>One kind of request the load generator sends (a target the later helpers add to, e.g. order placement).</summary>
public interface IHttpLoadTarget
{
    string Name { get; }

    /// <summary>Once before the run (sign wallets in, register what the requests need), with one client per worker.</summary>
    Task PrepareAsync(IReadOnlyList<HttpClient> workers, CancellationToken cancellationToken);

    /// <summary>The <paramref name="sequence"/>-th request of <paramref name="worker"/>.</summary>
    HttpRequestMessage CreateRequest(int worker, long sequence);
}

public sealed record LoadResult(string Target, int Concurrency, long Requests, long Failures, double Seconds, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public double RequestsPerSecond => Requests / Seconds;

    public override string ToString() =>
        $"{Target,-28} c={Concurrency,-4} {Requests,8} req  {RequestsPerSecond,9:0} req/s  p50 {P50Ms,7:0.00} ms  p90 {P90Ms,7:0.00} ms  p99 {P99Ms,7:0.00} ms  max {MaxMs,8:0.00} ms  failures {Failures}";
}

/// <summary>
/// A closed-loop HTTP load generator on loopback: <c>concurrency</c> workers, each with its own connection, send
/// requests back to back for a warm-up (not measured) and then for the measured duration. Bounded in time and count.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Uri baseAddress, IHttpLoadTarget target, int concurrency, TimeSpan warmup, TimeSpan duration, long maxRequests = 5_000_000)
    {
        var clients = Enumerable.Range(0, concurrency).Select(_ => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false,
        }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) }).ToList();
        try
        {
            await target.PrepareAsync(clients, CancellationToken.None);
            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var sent = 0L;
            var latencies = new List<long>[concurrency];
            var failures = new long[concurrency];
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
            {
                var mine = latencies[worker] = new List<long>(100_000);
                for (long sequence = 0; Interlocked.Increment(ref sent) <= maxRequests; sequence++)
                {
                    var before = Stopwatch.GetTimestamp();
                    if (before >= stopAt)
                        break;
                    using var request = target.CreateRequest(worker, sequence);
                    bool ok;
                    try
                    {
                        using var response = await clients[worker].SendAsync(request, HttpCompletionOption.ResponseContentRead);
                        ok = response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        ok = false;
                    }
                    var after = Stopwatch.GetTimestamp();
                    if (before >= measureFrom)
                    {
                        mine.Add(after - before);
                        if (!ok)
                            failures[worker]++;
                    }
                }
            })));
            var all = latencies.SelectMany(l => l).Order().ToArray();
            double Ms(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
            return new LoadResult(target.Name, concurrency, all.Length, failures.Sum(), duration.TotalSeconds, Ms(0.50), Ms(0.90), Ms(0.99),
                all.Length == 0 ? 0 : all[^1] * 1000.0 / Stopwatch.Frequency);
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }
}
