namespace IoNet.Marketplace.Chain;

/// <summary>Marketplace:Chain — the Solana node the marketplace reads and sends to, and the network's address file.</summary>
public sealed class ChainSettings
{
    public const string Section = "Marketplace:Chain";

    /// <summary>JSON-RPC endpoint (localnet by default).</summary>
    public string RpcUrl { get; set; } = "http://127.0.0.1:8899";

    /// <summary>
    /// The localnet's addresses.json: mints, vaults and the keypair files of the authorities the marketplace signs for
    /// (escrow, IOSD mint authority). Relative paths are taken from the current folder.
    /// </summary>
    public string AddressFile { get; set; } = ".data/ledger/addresses.json";
}
