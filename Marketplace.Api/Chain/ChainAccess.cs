using IoNet.Programs.Flows;
using IoNet.Solana.Rpc;
using Microsoft.Extensions.Options;

namespace IoNet.Marketplace.Chain;

/// <summary>
/// The chain as the marketplace sees it: the node's RPC client, the network's addresses and the signers of the
/// authorities it acts for. The address file is read on first use, so the API starts (and answers /health) before the
/// localnet has written it.
/// </summary>
public sealed class ChainAccess : IDisposable
{
    private readonly Lazy<IoNetAddressFile> _file;
    private readonly Lazy<IAuthoritySigner> _escrow;
    private readonly Lazy<IAuthoritySigner> _iosdMintAuthority;

    public ChainAccess(IOptions<ChainSettings> settings)
    {
        var s = settings.Value;
        Rpc = new SolanaRpcClient(s.RpcUrl);
        // PublicationOnly: a failed load (the localnet has not written its address file yet) is tried again next time,
        // never cached as the answer for the life of the process.
        _file = new(() => IoNetAddressFile.Load(Path.GetFullPath(s.AddressFile)), LazyThreadSafetyMode.PublicationOnly);
        _escrow = new(() => new KeypairFileSigner(_file.Value.KeypairFile(IoNetAddressFile.Escrow)), LazyThreadSafetyMode.PublicationOnly);
        _iosdMintAuthority = new(() => new KeypairFileSigner(_file.Value.KeypairFile(IoNetAddressFile.IosdMintAuthority)), LazyThreadSafetyMode.PublicationOnly);
    }

    public SolanaRpcClient Rpc { get; }

    public IoNetAddresses Network => _file.Value.Network;

    /// <summary>Signs settlements and refunds out of the escrow vault.</summary>
    public IAuthoritySigner EscrowAuthority => _escrow.Value;

    /// <summary>Signs the IOSD mints that pay for credits.</summary>
    public IAuthoritySigner IosdMintAuthority => _iosdMintAuthority.Value;

    public void Dispose()
    {
        Rpc.Dispose();
        if (_escrow.IsValueCreated && _escrow.Value is IDisposable e) e.Dispose();
        if (_iosdMintAuthority.IsValueCreated && _iosdMintAuthority.Value is IDisposable m) m.Dispose();
    }
}

public static class ChainServices
{
    /// <summary>Marketplace:Chain settings and the <see cref="ChainAccess"/> singleton.</summary>
    public static IServiceCollection AddMarketplaceChain(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ChainSettings>(configuration.GetSection(ChainSettings.Section));
        services.AddSingleton<ChainAccess>();
        return services;
    }
}
