using System.Text.Json;
using IoNet.Worker.Home;
using IoNet.Worker.Tests.Support;

namespace IoNet.Worker.Tests;

/// <summary>
/// The real Worker process (dotnet IoNet.Worker.dll) against the real Marketplace.Api process on PostgreSQL: it
/// registers, proves itself, heartbeats, and once killed the marketplace's sweep marks its device Down. Every wait
/// polls the API for the event.
/// </summary>
public sealed class WorkerTests(MarketplaceProcess api) : IClassFixture<MarketplaceProcess>, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ionet-worker-test-").FullName;
    private readonly List<TestProcess> _started = [];

    private static string WorkerDll => TestProcess.Built("Worker", "IoNet.Worker.dll");

    private TestProcess Start(params string[] args)
    {
        var process = TestProcess.Start("worker", WorkerDll, [.. args, "--home", _home, "--api", api.Url]);
        lock (_started)
            _started.Add(process);
        return process;
    }

    private Task<(int Exit, string Output)> WorkerAsync(params string[] args) => Start(args).ExitedAsync();

    /// <summary>init (with the shared flags, e.g. --devices), then register with the facts flags too; the state it wrote.</summary>
    private async Task<WorkerState> RegisteredAsync(string[] shared, params string[] facts)
    {
        var (initExit, initOutput) = await WorkerAsync(["init", .. shared]);
        initExit.ShouldBe(0, initOutput);
        var (exit, output) = await WorkerAsync(["register", .. shared, .. facts]);
        exit.ShouldBe(0, output);
        return new WorkerHome(_home).LoadState();
    }

    private Task<JsonElement> WaitAsync(string path, Func<JsonElement, bool> done, string what, TestProcess? worker = null) =>
        Waiting.UntilAsync(() => api.GetAsync(path), done, what, () => $"worker:\n{worker?.Output}\nmarketplace:\n{api.Output}");

    private static long Beats(JsonElement uptime) => uptime.GetProperty("beats").GetInt64();

    private static int GreenMilliseconds(JsonElement uptime) => uptime.GetProperty("hours").EnumerateArray().Sum(h => h.GetProperty("greenMilliseconds").GetInt32());

    [Fact]
    public async Task a_worker_registers_proves_itself_heartbeats_and_its_device_goes_down_once_it_is_killed()
    {
        var state = await RegisteredAsync([], "--cpu", "EPYC-7763", "--ram", "64", "--country", "JP", "--city", "Tokyo", "--connectivity", "High");
        var device = state.Devices.ShouldHaveSingleItem().Id;
        var registered = await api.GetAsync($"/api/devices/{device}");
        registered.GetProperty("cpuClass").GetString().ShouldBe("EPYC-7763");
        registered.GetProperty("country").GetString().ShouldBe("JP");
        registered.GetProperty("owner").GetString().ShouldBe(state.Wallet);
        (await api.GetAsync($"/api/proof-of-work/devices/{device}")).GetProperty("deviceKey").GetString().ShouldBe(state.Devices[0].DeviceKey);

        var worker = Start("run");
        await WaitAsync($"/api/proof-of-work/devices/{device}", p => p.GetProperty("lastOutcome").ValueKind == JsonValueKind.String, "a proof of work", worker);
        (await api.GetAsync($"/api/proof-of-work/devices/{device}")).GetProperty("lastOutcome").GetString().ShouldBe("Verified");
        var beating = await WaitAsync($"/api/devices/{device}/uptime", u => Beats(u) >= 4, "four heartbeats", worker);
        var grown = await WaitAsync($"/api/devices/{device}/uptime", u => GreenMilliseconds(u) > GreenMilliseconds(beating), "more green time", worker);
        grown.GetProperty("status").GetString().ShouldBe("Up");
        (await api.GetAsync($"/api/devices/{device}")).GetProperty("status").GetString().ShouldBe("Idle");

        await worker.KillAsync();

        await WaitAsync($"/api/devices/{device}", d => d.GetProperty("status").GetString() == "Down", "the device Down after missed beats", worker);
        var (exit, status) = await WorkerAsync("status");
        exit.ShouldBe(0, status);
        status.ShouldContain(device.ToString());
        status.ShouldContain("Down");
        status.ShouldContain("Verified");
    }

    [Fact]
    public async Task a_device_that_went_down_comes_back_to_idle_when_its_worker_runs_again()
    {
        var state = await RegisteredAsync([]);
        var device = state.Devices.Single().Id;
        var first = Start("run");
        await WaitAsync($"/api/devices/{device}/uptime", u => Beats(u) >= 1, "a heartbeat", first);
        await first.KillAsync();
        await WaitAsync($"/api/devices/{device}", d => d.GetProperty("status").GetString() == "Down", "the device Down", first);

        var second = Start("run");

        await WaitAsync($"/api/devices/{device}", d => d.GetProperty("status").GetString() == "Idle", "the device Idle again", second);
        var uptime = await WaitAsync($"/api/devices/{device}/uptime", u => u.GetProperty("gaps").GetArrayLength() >= 1 && u.GetProperty("status").GetString() == "Up",
            "the gap recorded", second);
        uptime.GetProperty("anomalies").EnumerateArray().ShouldContain(a => a.GetString()!.StartsWith("heartbeat gap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task simulated_devices_each_have_their_own_key_and_facts_from_the_seed_and_all_heartbeat_and_prove_on_ilgpu()
    {
        var state = await RegisteredAsync(["--devices", "3", "--seed", "42"]);
        state.Devices.Count.ShouldBe(3);
        state.Devices.Select(d => d.DeviceKey).Distinct().Count().ShouldBe(3);
        state.Devices.Select(d => d.Id).Distinct().Count().ShouldBe(3);
        foreach (var d in state.Devices)
        {
            var facts = DeviceFacts.Simulated(42, d.Index);
            var view = await api.GetAsync($"/api/devices/{d.Id}");
            view.GetProperty("cpuClass").GetString().ShouldBe(facts.CpuClass);
            view.GetProperty("gpuCount").GetInt32().ShouldBe(facts.GpuCount);
            view.GetProperty("country").GetString().ShouldBe(facts.Country);
            view.GetProperty("connectivity").GetString().ShouldBe(facts.Connectivity);
        }

        // Registering again registers nothing twice.
        var (again, output) = await WorkerAsync("register", "--devices", "3", "--seed", "42");
        again.ShouldBe(0, output);
        output.ShouldContain("already registered");
        new WorkerHome(_home).LoadState().Devices.Select(d => d.Id).ShouldBe(state.Devices.Select(d => d.Id));

        var worker = Start("run", "--devices", "3", "--gpu");
        foreach (var d in state.Devices)
        {
            await WaitAsync($"/api/devices/{d.Id}/uptime", u => Beats(u) >= 2, $"device {d.Index} heartbeating", worker);
            await WaitAsync($"/api/proof-of-work/devices/{d.Id}", p => p.GetProperty("verified").GetInt32() >= 1, $"device {d.Index} verified", worker);
        }
        worker.Output.ShouldContain("ilgpu");
    }

    [Fact]
    public void simulated_facts_are_the_same_for_the_same_seed_and_vary_between_devices()
    {
        var first = Enumerable.Range(0, 50).Select(i => DeviceFacts.Simulated(7, i)).ToList();
        Enumerable.Range(0, 50).Select(i => DeviceFacts.Simulated(7, i)).ShouldBe(first);
        first.Select(f => f.GpuModel).Distinct().Count().ShouldBeGreaterThan(3);
        first.Select(f => f.Country).Distinct().Count().ShouldBeGreaterThan(3);
        first.ShouldContain(f => f.GpuModel == null && f.GpuCount == 0);
        first.ShouldAllBe(f => f.GpuModel == null || f.GpuCount >= 1);
    }

    [Theory]
    [InlineData("run", "--bogus")]
    [InlineData("register", "--connectivity", "Fast")]
    [InlineData("run", "--devices", "0")]
    [InlineData("run", "--interval", "-1")]
    [InlineData("launch")]
    public async Task a_bad_command_line_exits_2_with_one_line(params string[] args)
    {
        var process = TestProcess.Start("worker", WorkerDll, args);
        var (exit, output) = await process.ExitedAsync();
        exit.ShouldBe(2, output);
        output.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith("ionet worker: ");
    }

    [Theory]
    [InlineData]
    [InlineData("init")]
    [InlineData("register")]
    [InlineData("run")]
    [InlineData("status")]
    [InlineData("stake")]
    public async Task every_command_has_help(params string[] command)
    {
        var (exit, output) = await TestProcess.Start("worker", WorkerDll, [.. command, "--help"]).ExitedAsync();
        exit.ShouldBe(0, output);
        output.ShouldContain("Usage:");
        output.ShouldContain("--api");
    }

    [Fact]
    public async Task running_before_registering_fails_with_one_line()
    {
        var (exit, output) = await WorkerAsync("run");
        exit.ShouldBe(1, output);
        output.Trim().ShouldStartWith("ionet worker: No device is registered");
    }

    public void Dispose()
    {
        foreach (var process in _started)
            process.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_home, recursive: true);
    }
}
