using IoNet.Indexer.Cli;
using IoNet.Solana.Rpc;

namespace IoNet.Indexer.Configuration;

/// <summary>The indexer's settings: section "Indexer" of appsettings, environment (Indexer__RpcUrl) or command line (--Indexer:RpcUrl).</summary>
public sealed class IndexerSettings
{
    public const string Section = "Indexer";

    /// <summary>Section "Indexer" of <paramref name="configuration"/>; a key no setting has or a value of the wrong type is refused.</summary>
    public static IndexerSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            return configuration.GetSection(Section).Get<IndexerSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new IndexerSettings();
        }
        catch (InvalidOperationException e)
        {
            // The binder names unknown keys after its own sentence: "...were not found on the instance of T: 'A', 'B'".
            const string unknown = "were not found on the instance of";
            var reason = e.Message.Contains(unknown, StringComparison.Ordinal)
                ? $"unknown setting {string.Join(", ", e.Message[(e.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", ").Select(k => $"{Section}:{k.Trim('\'')}"))} (Indexer/README.md lists them)"
                : string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            throw new IndexerException(reason, e);
        }
    }

    public string RpcUrl { get; set; } = "http://127.0.0.1:8899";

    /// <summary>Defaults to the RPC port + 1, as solana-test-validator and localnet serve it.</summary>
    public string? WebsocketUrl { get; set; }

    public Commitment Commitment { get; set; } = Commitment.Finalized;

    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>Per RPC attempt; transient failures (429, 5xx, timeouts, resets) are retried with backoff.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sources crawled at once by this process.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>localnet's addresses.json (mints, authorities, vaults); its accounts become the tracked sources.</summary>
    public string AddressFile { get; set; } = ".data/ledger/addresses.json";

    /// <summary>Backfill stops below this slot (every source without its own start point).</summary>
    public ulong StartSlot { get; set; }

    /// <summary>
    /// A start slot per source, keyed by the source's kind ("vault:treasury", "mint:io", "anchor:escrow"), its full
    /// name or its address, with "." for ":" (configuration keys cannot hold a colon): <c>--Indexer:StartSlots:vault.treasury=1200</c>.
    /// Overrides <see cref="StartSlot"/>.
    /// </summary>
    public Dictionary<string, ulong> StartSlots { get; set; } = [];

    /// <summary>Anchor programs whose events are recorded (AnchorEventObserved); each is crawled as its own source.</summary>
    public List<AnchorProgramSettings> AnchorPrograms { get; set; } = [];

    /// <summary>Signatures per getSignaturesForAddress page (1..1000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>getTransaction calls per JSON-RPC batch.</summary>
    public int FetchBatchSize { get; set; } = 50;

    /// <summary>Transactions stored per database transaction (events and checkpoint together) while following.</summary>
    public int AppendBatchSize { get; set; } = 200;

    /// <summary>The same during backfill (a whole page by default: the COPY path's per-transaction cost amortizes).</summary>
    public int BackfillBatchSize { get; set; } = 1000;

    /// <summary>Backfill through the binary COPY path (the services' projections are async, so nothing needs them inline).</summary>
    public bool BulkBackfill { get; set; } = true;

    /// <summary>
    /// `backfill` asks this often for a listed transaction the node cannot serve, waiting <see cref="UnavailableRetryDelay"/>
    /// (doubling) in between, then stops with an error, its checkpoint below that transaction; `follow` asks on every pass.
    /// </summary>
    public int MaxUnavailableAttempts { get; set; } = 10;

    public TimeSpan UnavailableRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public Crawling.CrawlerOptions CrawlerOptions => new()
    {
        Commitment = Commitment, StartSlot = StartSlot, PageSize = PageSize, FetchBatchSize = FetchBatchSize, AppendBatchSize = AppendBatchSize,
        BackfillBatchSize = BackfillBatchSize, MaxUnavailableAttempts = MaxUnavailableAttempts, UnavailableRetryDelay = UnavailableRetryDelay,
    };

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

/// <summary>An Anchor program to index: its IDL file (0.30+ or legacy) and, when the IDL names none, its program id.</summary>
public sealed class AnchorProgramSettings
{
    /// <summary>Short name, part of the source name "anchor:NAME:ADDRESS"; defaults to the IDL's name.</summary>
    public string? Name { get; set; }

    public string IdlFile { get; set; } = "";

    /// <summary>Base58 program id; overrides the IDL's `address`.</summary>
    public string? ProgramId { get; set; }
}
