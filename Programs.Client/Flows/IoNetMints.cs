using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Flows;

/// <summary>A mint with its decimals and token program: everything a checked instruction needs.</summary>
public sealed record MintInfo(PublicKey Address, byte Decimals, PublicKey TokenProgram)
{
    public PublicKey AccountOf(PublicKey owner) => AssociatedTokenAccount.Find(owner, Address, TokenProgram);
}
