using IoNet.Indexer.Crawling;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;

namespace IoNet.Indexer.Configuration;

/// <summary>Reads localnet's addresses.json (<see cref="IoNetAddressFile"/>): the network's accounts and the sources to crawl.</summary>
public static class NetworkAddresses
{
    public static (IoNetAddresses Network, IReadOnlyList<TrackedSource> Sources) Load(string path)
    {
        var network = IoNetAddressFile.Load(path).Network;
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
}
