using IoNet.Worker.Home;
using IoNet.Worker.Tests.Support;

namespace IoNet.Worker.Tests;

/// <summary>A running worker outlives its marketplace: while the service is down it backs off and retries, and beats again once it is back.</summary>
public sealed class WorkerReconnectTests(MarketplaceProcess api) : IClassFixture<MarketplaceProcess>, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ionet-worker-reconnect-").FullName;

    private TestProcess Start(params string[] args) =>
        TestProcess.Start("worker", TestProcess.Built("Worker", "IoNet.Worker.dll"), [.. args, "--home", _home, "--api", api.Url]);

    [Fact]
    public async Task the_worker_retries_while_the_marketplace_is_down_and_heartbeats_again_when_it_is_back()
    {
        await using (var init = Start("init"))
            (await init.ExitedAsync()).Exit.ShouldBe(0);
        await using (var register = Start("register"))
            (await register.ExitedAsync()).Exit.ShouldBe(0);
        var device = new WorkerHome(_home).LoadState().Devices.Single().Id;
        await using var worker = Start("run", "--max-backoff", "2");
        await Waiting.UntilAsync(() => api.GetAsync($"/api/devices/{device}/uptime"), u => u.GetProperty("beats").GetInt64() >= 1, "a first beat", () => worker.Output);

        await api.RestartAsync(async () =>
        {
            // While the service is away the worker says it retries (its output is the event waited for).
            await Waiting.UntilAsync(() => Task.FromResult(worker.Output), o => o.Contains("heartbeat:", StringComparison.Ordinal) && o.Contains("retrying in", StringComparison.Ordinal),
                "a retry while the marketplace is down", () => worker.Output);
        });
        var before = (await api.GetAsync($"/api/devices/{device}/uptime")).GetProperty("beats").GetInt64();

        await Waiting.UntilAsync(() => api.GetAsync($"/api/devices/{device}/uptime"), u => u.GetProperty("beats").GetInt64() >= before + 2,
            "beats after the restart", () => worker.Output);
        worker.Process.HasExited.ShouldBeFalse();
        await Waiting.UntilAsync(() => api.GetAsync($"/api/devices/{device}"), d => d.GetProperty("status").GetString() == "Idle",
            "the device Idle", () => worker.Output);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
