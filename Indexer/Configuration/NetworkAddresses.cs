using System.Text.Json;
using IoNet.Indexer.Crawling;
using IoNet.Programs.Flows;
using IoNet.Solana;
using IoNet.Solana.Keys;

namespace IoNet.Indexer.Configuration;

/// <summary>Reads localnet's addresses.json as it is: the network's accounts and the sources to crawl.</summary>
public static class NetworkAddresses
{
    public static (IoNetAddresses Network, IReadOnlyList<TrackedSource> Sources) Load(string path)
    {
        if (!File.Exists(path))
            throw new SolanaException($"Address file {path} not found (start the localnet first, or pass --addresses FILE).");
        try
        {
            var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            var mints = root.GetProperty("mints");
            MintInfo Mint(string name) => new(
                PublicKey.Parse(mints.GetProperty(name).GetProperty("address").GetString()!),
                mints.GetProperty(name).GetProperty("decimals").GetByte(),
                PublicKey.Parse(mints.GetProperty(name).GetProperty("tokenProgram").GetString()!));
            PublicKey Authority(string name) => PublicKey.Parse(root.GetProperty("authorities").GetProperty(name).GetProperty("address").GetString()!);
            var network = new IoNetAddresses(Mint("io"), Mint("iosd"), Mint("usdc"),
                PublicKey.Parse(mints.GetProperty("iosd").GetProperty("authority").GetProperty("address").GetString()!),
                Authority("escrow"), Authority("treasury"), Authority("stake"));
            // The address is part of the name: a checkpoint never carries over to another chain's account.
            static TrackedSource Source(string kind, PublicKey address) => new($"{kind}:{address}", address);
            TrackedSource[] sources =
            [
                Source("mint:io", network.Io.Address), Source("mint:iosd", network.Iosd.Address), Source("mint:usdc", network.Usdc.Address),
                Source("vault:escrow-iosd", network.EscrowVault(network.Iosd)), Source("vault:escrow-io", network.EscrowVault(network.Io)),
                Source("vault:escrow-usdc", network.EscrowVault(network.Usdc)), Source("vault:treasury", network.TreasuryVault),
                Source("vault:stake", network.StakeVault),
            ];
            return (network, sources);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SolanaException($"Address file {path} is not localnet's addresses.json: {e.Message}", e);
        }
    }
}
