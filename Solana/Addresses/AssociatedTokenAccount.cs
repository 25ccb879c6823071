using IoNet.Solana.Keys;

namespace IoNet.Solana.Addresses;

/// <summary>The associated token account of an owner for a mint: the PDA of [owner, token program, mint] under the ATA program.</summary>
public static class AssociatedTokenAccount
{
    public static PublicKey Find(PublicKey owner, PublicKey mint, PublicKey? tokenProgram = null) =>
        FindWithBump(owner, mint, tokenProgram).Address;

    public static (PublicKey Address, byte Bump) FindWithBump(PublicKey owner, PublicKey mint, PublicKey? tokenProgram = null) =>
        ProgramAddress.Find([owner.ToArray(), (tokenProgram ?? WellKnownPrograms.Token).ToArray(), mint.ToArray()], WellKnownPrograms.AssociatedToken);
}
