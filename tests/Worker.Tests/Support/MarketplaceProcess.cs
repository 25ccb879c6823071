using System.Net.Http.Json;
using System.Text.Json;
using IoNet.TestSupport;

namespace IoNet.Worker.Tests.Support;

/// <summary>
/// The real Marketplace.Api (the built IoNet.Marketplace.Api.dll) as a process on its own PostgreSQL schema, with
/// small proofs of work (n = 64, k = 16, which the test machine's CPU solves at once) and a heartbeat every second, so
/// a device that stops is Down after three seconds. As Marketplace.Api.Tests' CreditsNetwork starts it.
/// </summary>
public sealed class MarketplaceProcess : IAsyncLifetime
{
    public const string TokenKey = "dGVzdC1vbmx5LWtleS1mb3ItdGhlLW1hcmtldHBsYWNlLXRlc3RzLTY0LWJ5dGVzLWxvbmctZW5vdWdoISE=";

    private readonly PostgresSchema _schema = new();
    private TestProcess? _process;

    public string Url { get; private set; } = "";

    public string Output => _process?.Output ?? "";

    public HttpClient Client() => new() { BaseAddress = new Uri(Url) };

    public async ValueTask InitializeAsync()
    {
        await _schema.InitializeAsync();
        var port = LoopbackPorts.Free();
        Url = $"http://127.0.0.1:{port}";
        _process = TestProcess.Start("marketplace", TestProcess.Built("Marketplace.Api", "IoNet.Marketplace.Api.dll"), [
            $"--Marketplace:Schema={_schema.Name}", $"--Marketplace:SignIn:TokenKey={TokenKey}",
            "--Marketplace:ProofOfWork:N=64", "--Marketplace:ProofOfWork:K=16",
            "--Marketplace:Uptime:HeartbeatInterval=00:00:01",
            "--Marketplace:RateLimits:PerIp:Burst=100000", "--Marketplace:RateLimits:PerIp:PerMinute=100000",
            "--Marketplace:RateLimits:PerWallet:Burst=100000", "--Marketplace:RateLimits:PerWallet:PerMinute=100000",
            "--Marketplace:RateLimits:SignIn:Burst=100000", "--Marketplace:RateLimits:SignIn:PerMinute=100000",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft=Warning", "--Logging:LogLevel:Marten=Warning",
            "--urls", Url], new Dictionary<string, string> { ["IONET_DB"] = _schema.ConnectionString });
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

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        await _schema.DisposeAsync();
    }
}
