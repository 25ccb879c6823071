using IoNet.Solana.Keys;

namespace IoNet.Solana.Transactions;

/// <summary>An account an instruction uses, and how: signing, writing, both or neither.</summary>
public readonly record struct AccountMeta(PublicKey PublicKey, bool IsSigner, bool IsWritable)
{
    public static AccountMeta Writable(PublicKey key, bool isSigner = false) => new(key, isSigner, true);

    public static AccountMeta ReadOnly(PublicKey key, bool isSigner = false) => new(key, isSigner, false);
}
