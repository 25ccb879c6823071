using System.Diagnostics;
using System.Globalization;
using System.Text;
using IoNet.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Support;

/// <summary>
/// Everything a payment goes through, each for real: a localnet (LiteSVM behind JSON-RPC), the marketplace on a
/// loopback port (Kestrel, so that node's @solana/pay can call its transaction request), and the indexer's process
/// following the localnet into the marketplace's own PostgreSQL schema (it writes the RentalFunded the marketplace
/// reacts to). A class fixture; the clock is the test's and tokens follow it.
/// </summary>
public sealed class PaymentNetwork : IAsyncLifetime
{
    /// <summary>The public origin the marketplace states in its Solana Pay links (a wallet requires https).</summary>
    public const string Origin = "https://market.ionet.test";

    private Process? _indexer;
    private readonly StringBuilder _indexerOutput = new();

    public LocalnetChain Chain { get; } = new();

    public MarketplaceApp App { get; } = new();

    public WebApplicationFactory<Program> Api { get; private set; } = null!;

    /// <summary>Where the marketplace listens (Origin stands for it in links).</summary>
    public Uri Address { get; private set; } = null!;

    public string IndexerOutput
    {
        get
        {
            lock (_indexerOutput)
                return _indexerOutput.ToString();
        }
    }

    public async ValueTask InitializeAsync()
    {
        await Chain.InitializeAsync();
        await App.InitializeAsync();
        var port = LoopbackPorts.Free();
        Address = new Uri($"http://127.0.0.1:{port}");
        Api = App.Replica(new Dictionary<string, string>
        {
            ["Marketplace:Chain:RpcUrl"] = Chain.Process.RpcUrl.ToString(),
            ["Marketplace:Chain:AddressFile"] = Chain.Process.AddressesFile,
            ["Marketplace:SignIn:Uri"] = Origin,
        }, tokensFollowClock: true);
        Api.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
        Api.StartServer();
        var server = Api.Services.GetRequiredService<IServer>();
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (!addresses.Any(a => a.Contains($":{port}", StringComparison.Ordinal)))
            throw new InvalidOperationException($"The marketplace does not listen on port {port}: {server.GetType().Name} at {string.Join(", ", addresses)}");
        StartIndexer();
    }

    /// <summary>A link of the marketplace's (Origin) as this machine reaches it.</summary>
    public string Local(string link) => link.Replace(Origin, Address.ToString().TrimEnd('/'), StringComparison.Ordinal);

    private void StartIndexer()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            RepoPaths.RepoFile("Indexer", "bin", configuration, "net10.0", "IoNet.Indexer.dll"), "follow",
            "--urls", $"http://127.0.0.1:{LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)}",
            $"--Indexer:RpcUrl={Chain.Process.RpcUrl}", $"--Indexer:AddressFile={Chain.Process.AddressesFile}",
            $"--Indexer:Schema={App.Schema}", "--Indexer:PollInterval=00:00:00.200", "--Indexer:Holder=marketplace-tests",
        })
            info.ArgumentList.Add(arg);
        info.Environment["IONET_DB"] = App.ConnectionString;
        _indexer = Process.Start(info) ?? throw new InvalidOperationException("the indexer did not start");
        _indexer.OutputDataReceived += (_, e) => Append(e.Data);
        _indexer.ErrorDataReceived += (_, e) => Append(e.Data);
        _indexer.BeginOutputReadLine();
        _indexer.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_indexerOutput)
        {
            if (_indexerOutput.Length < 200_000)
                _indexerOutput.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_indexer is not null)
        {
            try
            {
                if (!_indexer.HasExited)
                    _indexer.Kill(entireProcessTree: true);
                await _indexer.WaitForExitAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
            }
            _indexer.Dispose();
        }
        await App.DisposeAsync();
        await Chain.DisposeAsync();
    }
}
