using IoNet.Solana.Keys;

namespace IoNet.Solana.Transactions;

/// <summary>An address lookup table's key and the addresses it holds, in order (what a v0 compile needs).</summary>
public sealed record AddressLookupTableAccount(PublicKey Key, IReadOnlyList<PublicKey> Addresses);
