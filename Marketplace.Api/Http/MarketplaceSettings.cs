using IoNet.Ledger.Store;

namespace IoNet.Marketplace.Http;

/// <summary>Marketplace: the service's own settings (sign-in, rate limits and idempotency have their own sections below it).</summary>
public sealed class MarketplaceSettings
{
    public const string Section = "Marketplace";

    /// <summary>PostgreSQL schema of the store (Marten's tables and the marketplace's own).</summary>
    public string Schema { get; set; } = LedgerStore.DefaultSchema;

    /// <summary>Largest request body accepted (413 beyond).</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Wallets (base58) that may use the operator endpoints.</summary>
    public List<string> OperatorWallets { get; set; } = [];
}
