using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IoNet.Solana.Wire;

namespace IoNet.Solana.Keys;

/// <summary>A Solana address: 32 bytes, shown as base58. A value type with value equality.</summary>
public readonly struct PublicKey : IEquatable<PublicKey>, IComparable<PublicKey>, ISpanParsable<PublicKey>
{
    public const int Length = 32;

    private readonly Bytes32 _bytes;

    public PublicKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new SolanaException($"A public key is {Length} bytes, not {bytes.Length}.");
        bytes.CopyTo(_bytes);
    }

    /// <summary>The all-zero key (the System Program's address).</summary>
    public static PublicKey Default => default;

    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _bytes[0]), Length);

    public byte[] ToArray() => Bytes.ToArray();

    public void WriteTo(Span<byte> destination) => Bytes.CopyTo(destination);

    /// <summary>True when the bytes decode to a point of ed25519 (a key with a private key can exist); PDAs are off the curve.</summary>
    public bool IsOnCurve => Curve25519.IsOnCurve(Bytes);

    public static PublicKey Parse(string text)
    {
        Span<byte> bytes = stackalloc byte[Length];
        Base58.DecodeExactly(text, bytes, "public key");
        return new PublicKey(bytes);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out PublicKey key)
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (Base58.TryDecodeExactly(text, bytes))
        {
            key = new PublicKey(bytes);
            return true;
        }
        key = default;
        return false;
    }

    public static PublicKey Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out PublicKey result) => TryParse(s, out result);

    public static PublicKey Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s.ToString());

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out PublicKey result) => TryParse(s.ToString(), out result);

    public override string ToString() => Base58.Encode(Bytes);

    public bool Equals(PublicKey other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is PublicKey other && Equals(other);

    // Keys are uniformly random bytes: eight of them are as good a hash as all 32.
    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Bytes) ^ BinaryPrimitives.ReadInt32LittleEndian(Bytes[28..]);

    /// <summary>Byte-wise order, as solana-sdk's BTreeMap of Pubkeys sorts them.</summary>
    public int CompareTo(PublicKey other) => Bytes.SequenceCompareTo(other.Bytes);

    public static bool operator ==(PublicKey left, PublicKey right) => left.Equals(right);

    public static bool operator !=(PublicKey left, PublicKey right) => !left.Equals(right);

    public static bool operator <(PublicKey left, PublicKey right) => left.CompareTo(right) < 0;

    public static bool operator >(PublicKey left, PublicKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(PublicKey left, PublicKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PublicKey left, PublicKey right) => left.CompareTo(right) >= 0;
}
