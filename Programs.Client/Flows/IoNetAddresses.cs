using IoNet.Solana.Keys;

namespace IoNet.Programs.Flows;

/// <summary>The network's on-chain accounts: the three mints and the authorities whose token accounts are the vaults.</summary>
public sealed record IoNetAddresses(
    MintInfo Io, MintInfo Iosd, MintInfo Usdc,
    PublicKey IosdMintAuthority, PublicKey EscrowAuthority, PublicKey TreasuryAuthority, PublicKey StakeAuthority)
{
    public IEnumerable<MintInfo> Mints => [Io, Iosd, Usdc];

    public MintInfo? MintOf(PublicKey address) => Mints.FirstOrDefault(m => m.Address == address);

    /// <summary>The escrow vault's token account for <paramref name="mint"/> (rentals are paid in IOSD, IO or USDC).</summary>
    public PublicKey EscrowVault(MintInfo mint) => mint.AccountOf(EscrowAuthority);

    public PublicKey TreasuryVault => Io.AccountOf(TreasuryAuthority);

    public PublicKey StakeVault => Io.AccountOf(StakeAuthority);
}
