using IoNet.Solana.Rpc;

namespace IoNet.Indexer.Configuration;

/// <summary>The indexer's settings: section "Indexer" of appsettings, environment (Indexer__RpcUrl) or command line (--Indexer:RpcUrl).</summary>
public sealed class IndexerSettings
{
    public const string Section = "Indexer";

    public string RpcUrl { get; set; } = "http://127.0.0.1:8899";

    /// <summary>Defaults to the RPC port + 1, as solana-test-validator and localnet serve it.</summary>
    public string? WebsocketUrl { get; set; }

    public Commitment Commitment { get; set; } = Commitment.Finalized;

    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>Sources crawled at once by this process.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>localnet's addresses.json (mints, authorities, vaults); its accounts become the tracked sources.</summary>
    public string AddressFile { get; set; } = ".data/ledger/addresses.json";

    /// <summary>Backfill stops below this slot.</summary>
    public ulong StartSlot { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan LeaseTimeToLive { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>This process's name in the lease table.</summary>
    public string Holder { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public string Schema { get; set; } = Ledger.Store.LedgerStore.DefaultSchema;

    public Uri WebsocketUri => new(WebsocketUrl ?? DeriveWebsocket(RpcUrl));

    private static string DeriveWebsocket(string rpc)
    {
        var uri = new Uri(rpc);
        var builder = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws", Port = uri.Port + 1 };
        return builder.Uri.ToString();
    }
}
