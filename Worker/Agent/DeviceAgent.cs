using System.Globalization;
using System.Net;
using IoNet.Solana.Keys;
using IoNet.Suppliers.ProofOfWork;
using IoNet.Worker.Api;
using IoNet.Worker.Home;

namespace IoNet.Worker.Agent;

/// <summary>How a running device behaves.</summary>
public sealed record AgentOptions(TimeSpan? Interval, TimeSpan ProveEvery, TimeSpan MaxBackoff)
{
    /// <summary>How often the worker looks for challenges the server sent on its own (at random while hired).</summary>
    public TimeSpan ChallengePoll { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// One device at work: a heartbeat every interval (the server's, from its answers, unless the operator set one) and
/// a proof of work at start and every <see cref="AgentOptions.ProveEvery"/>, and an answer to every challenge the
/// server sends on its own (looked for every <see cref="AgentOptions.ChallengePoll"/>), as two loops so a long solve
/// never delays a beat. Network errors and 5xx answers back off (1 s doubling to the maximum) and retry; nothing ends the loops but
/// cancellation.
/// </summary>
public sealed class DeviceAgent(MarketplaceClient client, RegisteredDevice device, Keypair deviceKey, AgentOptions options,
    IMatrixProductSolver solver, SemaphoreSlim solverGate, AgentLog log)
{
    private TimeSpan _interval = options.Interval ?? TimeSpan.FromSeconds(60);

    public long Beats { get; private set; }

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(BeatLoopAsync(ct), ProofLoopAsync(ct));

    private async Task BeatLoopAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.Zero;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var (status, body) = await client.BeatAsync(device.Id, deviceKey, ct);
                switch (status)
                {
                    case HttpStatusCode.Accepted:
                        Beats++;
                        if (options.Interval is null && body.TryGetProperty("heartbeatIntervalSeconds", out var seconds))
                            _interval = TimeSpan.FromSeconds(Math.Max(0.05, seconds.GetDouble()));
                        if (Beats == 1)
                            log.Line(device, $"heartbeating every {_interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                        break;
                    case HttpStatusCode.Conflict:
                        break; // a beat in the same millisecond as the last: the next one counts
                    case >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests:
                        throw MarketplaceClient.Refused("heartbeat", status, body);
                    default:
                        // 403 (wrong key), 422 (this machine's clock is off): the operator must act; keep trying meanwhile.
                        log.Line(device, MarketplaceClient.Refused("heartbeat refused", status, body).Message);
                        break;
                }
                backoff = TimeSpan.Zero;
                await Task.Delay(_interval, ct);
            }
            catch (Exception e) when (Retryable(e, ct))
            {
                backoff = await BackOffAsync(backoff, "heartbeat", e, ct);
            }
        }
    }

    private async Task ProofLoopAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.Zero;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Challenges the server sent (while hired, a missed one fails the device): answered first.
                var open = await client.OpenChallengesAsync(device.Id, ct);
                if (open.Count > 0)
                {
                    await solverGate.WaitAsync(ct);
                    try
                    {
                        var (outcome, detail, solve) = await client.AnswerAsync(open[0], deviceKey, solver, ct);
                        log.Line(device, string.Create(CultureInfo.InvariantCulture,
                            $"challenge from the marketplace {outcome} ({solver.Name}, solved in {solve.TotalSeconds:F1} s){(outcome == "Verified" ? "" : ": " + detail)}"));
                    }
                    finally
                    {
                        solverGate.Release();
                    }
                    backoff = TimeSpan.Zero;
                    continue;
                }
                var standing = await client.ProofStandingAsync(device.Id, ct);
                var last = standing.TryGetProperty("lastVerifiedAt", out var at) && at.ValueKind == System.Text.Json.JsonValueKind.String
                    ? at.GetDateTimeOffset() : (DateTimeOffset?)null;
                var due = last is { } verified ? verified + options.ProveEvery : DateTimeOffset.MinValue;
                if (due > DateTimeOffset.UtcNow)
                {
                    var wait = due - DateTimeOffset.UtcNow;
                    await Task.Delay(wait < options.ChallengePoll ? wait : options.ChallengePoll, ct);
                    continue;
                }
                await solverGate.WaitAsync(ct);
                try
                {
                    var (outcome, detail, solve) = await client.ProveAsync(device.Id, deviceKey, solver, ct);
                    log.Line(device, string.Create(CultureInfo.InvariantCulture,
                        $"proof of work {outcome} ({solver.Name}, solved in {solve.TotalSeconds:F1} s){(outcome == "Verified" ? "" : ": " + detail)}"));
                    if (outcome != "Verified")
                        await Task.Delay(options.MaxBackoff, ct);
                }
                finally
                {
                    solverGate.Release();
                }
                backoff = TimeSpan.Zero;
            }
            catch (Exception e) when (Retryable(e, ct) || (e is MarketplaceRefusal && !ct.IsCancellationRequested))
            {
                backoff = await BackOffAsync(backoff, "proof of work", e, ct);
            }
        }
    }

    private async Task<TimeSpan> BackOffAsync(TimeSpan backoff, string what, Exception e, CancellationToken ct)
    {
        backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
        log.Line(device, string.Create(CultureInfo.InvariantCulture, $"{what}: {OneLine(e.Message)}; retrying in {backoff.TotalSeconds:0.#} s"));
        await Task.Delay(backoff, ct);
        return backoff;
    }

    private static bool Retryable(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is HttpRequestException or TaskCanceledException or IOException
            || e is MarketplaceRefusal { Status: >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests } && !ct.IsCancellationRequested;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}

/// <summary>Timestamped lines for the operator, one writer shared by all devices.</summary>
public sealed class AgentLog(TextWriter output)
{
    private readonly Lock _lock = new();

    public void Line(RegisteredDevice device, string text) => Line($"device {device.Index} ({device.Id.ToString("N")[..8]}): {text}");

    public void Line(string text)
    {
        lock (_lock)
        {
            output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {text}");
            output.Flush();
        }
    }
}
