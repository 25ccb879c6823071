using IoNet.Solana.Keys;

namespace IoNet.Solana.Messages;

/// <summary>A v0 message's use of an address lookup table: which of its entries load as writable and as read-only.</summary>
public sealed class MessageAddressTableLookup(PublicKey accountKey, ReadOnlyMemory<byte> writableIndexes, ReadOnlyMemory<byte> readonlyIndexes)
    : IEquatable<MessageAddressTableLookup>
{
    public PublicKey AccountKey { get; } = accountKey;
    public ReadOnlyMemory<byte> WritableIndexes { get; } = writableIndexes;
    public ReadOnlyMemory<byte> ReadonlyIndexes { get; } = readonlyIndexes;

    public bool Equals(MessageAddressTableLookup? other) =>
        other is not null && AccountKey == other.AccountKey
        && WritableIndexes.Span.SequenceEqual(other.WritableIndexes.Span) && ReadonlyIndexes.Span.SequenceEqual(other.ReadonlyIndexes.Span);

    public override bool Equals(object? obj) => Equals(obj as MessageAddressTableLookup);

    public override int GetHashCode() => AccountKey.GetHashCode();
}
