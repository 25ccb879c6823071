using System.Collections;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Decoding;

/// <summary>An ordered list of keys with value equality, so decoded instructions compare as values.</summary>
public sealed class AccountList(IEnumerable<PublicKey> keys) : IReadOnlyList<PublicKey>, IEquatable<AccountList>
{
    private readonly PublicKey[] _keys = [.. keys];

    public static AccountList Empty { get; } = new([]);

    public int Count => _keys.Length;

    public PublicKey this[int index] => _keys[index];

    public IEnumerator<PublicKey> GetEnumerator() => ((IEnumerable<PublicKey>)_keys).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _keys.GetEnumerator();

    public bool Equals(AccountList? other) => other is not null && _keys.AsSpan().SequenceEqual(other._keys);

    public override bool Equals(object? obj) => Equals(obj as AccountList);

    public override int GetHashCode() => _keys.Length;

    public override string ToString() => "[" + string.Join(", ", _keys) + "]";

    public static implicit operator AccountList(PublicKey[] keys) => new(keys);
}
