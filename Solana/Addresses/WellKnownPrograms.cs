using IoNet.Solana.Keys;

namespace IoNet.Solana.Addresses;

/// <summary>Addresses of the native and SPL programs that the SDK itself needs (ATA derivation, compilation rules).</summary>
public static class WellKnownPrograms
{
    public static readonly PublicKey System = PublicKey.Parse("11111111111111111111111111111111");
    public static readonly PublicKey Token = PublicKey.Parse("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    public static readonly PublicKey Token2022 = PublicKey.Parse("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    public static readonly PublicKey AssociatedToken = PublicKey.Parse("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
    public static readonly PublicKey Memo = PublicKey.Parse("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
    public static readonly PublicKey MemoV1 = PublicKey.Parse("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo");
    public static readonly PublicKey ComputeBudget = PublicKey.Parse("ComputeBudget111111111111111111111111111111");
    public static readonly PublicKey AddressLookupTable = PublicKey.Parse("AddressLookupTab1e1111111111111111111111111");
    public static readonly PublicKey SysvarRent = PublicKey.Parse("SysvarRent111111111111111111111111111111111");
}
