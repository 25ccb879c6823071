using System.Net.Http.Json;
using System.Text.Json;
using IoNet.TestSupport;

namespace IoNet.Worker.Tests.Support;

/// <summary>
/// The real Marketplace.Api (the built IoNet.Marketplace.Api.dll) as a process on its own PostgreSQL schema, with
/// small proofs of work (n = 64, k = 16, which the test machine's CPU solves at once, within 2 minutes) and a heartbeat every second, so
/// a device that stops is Down after three seconds. As Marketplace.Api.Tests' CreditsNetwork starts it.
/// </summary>
public class MarketplaceProcess : IAsyncLifetime
{
    public const string TokenKey = "dGVzdC1vbmx5LWtleS1mb3ItdGhlLW1hcmtldHBsYWNlLXRlc3RzLTY0LWJ5dGVzLWxvbmctZW5vdWdoISE=";

    private readonly PostgresSchema _schema = new();
    private TestProcess? _process;

    protected PostgresSchema Schema => _schema;

    /// <summary>More --Key=Value settings (the chain's, in <see cref="MarketplaceOnLocalnet"/>).</summary>
    protected virtual IEnumerable<string> Settings => [];

    /// <summary>Runs before the service starts (the localnet and the indexer).</summary>
    protected virtual Task StartDependenciesAsync() => Task.CompletedTask;

    public string Url { get; private set; } = "";

    public string Output => _process?.Output ?? "";

    public HttpClient Client() => new() { BaseAddress = new Uri(Url) };

    public async ValueTask InitializeAsync()
    {
        await _schema.InitializeAsync();
        await StartDependenciesAsync();
        Url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        await StartAsync();
    }

    /// <summary>Kills the service (SIGKILL) and starts it again on the same port and schema.</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        await _process!.DisposeAsync();
        if (whileDown is not null)
            await whileDown();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        _process = TestProcess.Start("marketplace", TestProcess.Built("Marketplace.Api", "IoNet.Marketplace.Api.dll"), [
            $"--Marketplace:Schema={_schema.Name}", $"--Marketplace:SignIn:TokenKey={TokenKey}",
            // A deadline the loaded test machine (and ILGPU's CPU accelerator) meets, whatever model a simulated device declares.
            "--Marketplace:ProofOfWork:N=64", "--Marketplace:ProofOfWork:K=16", "--Marketplace:ProofOfWork:TimeLimit=00:02:00",
            "--Marketplace:Uptime:HeartbeatInterval=00:00:01",
            "--Marketplace:RateLimits:PerIp:Burst=100000", "--Marketplace:RateLimits:PerIp:PerMinute=100000",
            "--Marketplace:RateLimits:PerWallet:Burst=100000", "--Marketplace:RateLimits:PerWallet:PerMinute=100000",
            "--Marketplace:RateLimits:SignIn:Burst=100000", "--Marketplace:RateLimits:SignIn:PerMinute=100000",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft=Warning", "--Logging:LogLevel:Marten=Warning",
            .. Settings, "--urls", Url], new Dictionary<string, string> { ["IONET_DB"] = _schema.ConnectionString });
        using var http = Client();
        await Waiting.UntilAsync(async () =>
        {
            if (_process.Process.HasExited)
                throw new InvalidOperationException($"Marketplace.Api exited:\n{_process.Output}");
            try
            {
                using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ok => ok, "Marketplace.Api healthy", () => _process.Output);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var http = Client();
        return await http.GetFromJsonAsync<JsonElement>(path, TestContext.Current.CancellationToken);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        await _schema.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// <see cref="MarketplaceProcess"/> on a localnet, with the indexer's process following it into the marketplace's
/// schema (it stores the StakeDeposited that GET /api/devices/{id}/stake sums), as Marketplace.Api.Tests' networks do.
/// </summary>
public sealed class MarketplaceOnLocalnet : MarketplaceProcess
{
    private TestProcess? _indexer;

    public LocalnetChain Chain { get; } = new();

    public string IndexerOutput => _indexer?.Output ?? "";

    protected override IEnumerable<string> Settings =>
        [$"--Marketplace:Chain:RpcUrl={Chain.Process.RpcUrl}", $"--Marketplace:Chain:AddressFile={Chain.Process.AddressesFile}"];

    protected override async Task StartDependenciesAsync()
    {
        await Chain.InitializeAsync();
        _indexer = TestProcess.Start("indexer", TestProcess.Built("Indexer", "IoNet.Indexer.dll"), [
            "follow", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}",
            $"--Indexer:RpcUrl={Chain.Process.RpcUrl}", $"--Indexer:AddressFile={Chain.Process.AddressesFile}",
            $"--Indexer:Schema={Schema.Name}", "--Indexer:PollInterval=00:00:00.200", "--Indexer:Holder=worker-tests"],
            new Dictionary<string, string> { ["IONET_DB"] = Schema.ConnectionString });
    }

    public override async ValueTask DisposeAsync()
    {
        if (_indexer is not null)
            await _indexer.DisposeAsync();
        await base.DisposeAsync();
        await Chain.DisposeAsync();
    }
}
