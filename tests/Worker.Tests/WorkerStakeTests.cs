using IoNet.Programs.Flows;
using IoNet.Worker.Home;
using IoNet.Worker.Tests.Support;

namespace IoNet.Worker.Tests;

/// <summary>The Worker's stake command on a localnet: the marketplace builds the Stake transaction, the worker's wallet signs and sends it, the indexer stores it.</summary>
public sealed class WorkerStakeTests(MarketplaceOnLocalnet api) : IClassFixture<MarketplaceOnLocalnet>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _home = Directory.CreateTempSubdirectory("ionet-worker-stake-").FullName;

    private async Task<(int Exit, string Output)> WorkerAsync(params string[] args)
    {
        await using var process = TestProcess.Start("worker", TestProcess.Built("Worker", "IoNet.Worker.dll"),
            [.. args, "--home", _home, "--api", api.Url]);
        return await process.ExitedAsync();
    }

    [Fact]
    public async Task stake_signs_and_sends_what_the_device_lacks_and_the_indexed_stake_is_enough()
    {
        // The worker's wallet: SOL for fees and 10,000 IO, a reward from the treasury.
        using (var wallet = await api.Chain.NewWalletAsync(ct: Ct))
        {
            using var treasury = api.Chain.Authority("treasury");
            await api.Chain.ExecuteAsync(treasury,
                IoNetFlows.PayReward(treasury.PublicKey, api.Chain.Network.Io, wallet.PublicKey, 0, Guid.NewGuid(), 10_000UL * 100_000_000), [treasury], Ct);
            Directory.CreateDirectory(_home);
            wallet.Save(Path.Combine(_home, "wallet.json"));
        }
        (await WorkerAsync("init")).Exit.ShouldBe(0);
        var (registered, registerOutput) = await WorkerAsync("register", "--gpu-model", "T4");
        registered.ShouldBe(0, registerOutput);
        var device = new WorkerHome(_home).LoadState().Devices.Single().Id;
        var required = (await api.GetAsync($"/api/devices/{device}/stake")).GetProperty("required").GetUInt64();

        var (exit, output) = await WorkerAsync("stake", "--rpc", api.Chain.Process.RpcUrl.ToString());

        exit.ShouldBe(0, output);
        output.ShouldContain(required.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stake = await Waiting.UntilAsync(() => api.GetAsync($"/api/devices/{device}/stake"), s => s.GetProperty("enough").GetBoolean(),
            "the stake indexed", () => api.IndexerOutput);
        stake.GetProperty("staked").GetUInt64().ShouldBe(required);
        var (again, nothing) = await WorkerAsync("stake", "--rpc", api.Chain.Process.RpcUrl.ToString());
        again.ShouldBe(0, nothing);
        nothing.ShouldContain("nothing to stake");
        var (_, status) = await WorkerAsync("status");
        status.ShouldContain($"{required} / {required}");
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
