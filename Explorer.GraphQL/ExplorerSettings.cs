namespace IoNet.Explorer;

/// <summary>The explorer's settings: section "Explorer" of appsettings, environment (Explorer__Schema) or command line (--Explorer:Schema).</summary>
public sealed class ExplorerSettings
{
    public const string Section = "Explorer";

    /// <summary>The Ledger's PostgreSQL schema (the indexer's Indexer:Schema).</summary>
    public string Schema { get; set; } = Ledger.Store.LedgerStore.DefaultSchema;

    /// <summary>localnet's addresses.json: which mints are IO and IOSD. Optional; <see cref="IoMint"/> and <see cref="IosdMint"/> override it.</summary>
    public string AddressFile { get; set; } = ".data/ledger/addresses.json";

    public string? IoMint { get; set; }

    public string? IosdMint { get; set; }

    /// <summary>USDC, a rental payment mint (shown with its 6 decimals on the pages).</summary>
    public string? UsdcMint { get; set; }

    /// <summary>How often the live feed looks at the Ledger's progress (new events, the daemon, the indexer's checkpoints).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cache the home data (network query, newest payouts and burns, supply charts) in HybridCache until the Ledger moves, and keep parsed GraphQL documents.</summary>
    public bool Cache { get; set; } = true;

    /// <summary>Create the explorer's read indexes on the event table at start (needs DDL rights; off for a read-only replica).</summary>
    public bool EnsureIndexes { get; set; } = true;

    public GraphQLLimits Limits { get; set; } = new();
}

/// <summary>What one GraphQL request may ask for; over any of them the request is refused with a 4xx and an error code.</summary>
public sealed class GraphQLLimits
{
    /// <summary>Bytes of an HTTP request body (413 over it).</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Characters of the query text (400 QUERY_TOO_LARGE over it).</summary>
    public int MaxQueryLength { get; set; } = 16 * 1024;

    public int MaxDepth { get; set; } = 12;

    public double MaxComplexity { get; set; } = 20_000;

    public int MaxAliases { get; set; } = 30;

    /// <summary>Fields, fragment spreads and inline fragments in the whole document.</summary>
    public int MaxSelections { get; set; } = 1_000;

    public int MaxFragments { get; set; } = 50;

    public int DefaultPageSize { get; set; } = 20;

    public int MaxPageSize { get; set; } = 100;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
