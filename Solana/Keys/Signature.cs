using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IoNet.Solana.Wire;

namespace IoNet.Solana.Keys;

/// <summary>An ed25519 signature (64 bytes, base58); a transaction's first signature is its id.</summary>
public readonly struct Signature : IEquatable<Signature>
{
    public const int Length = 64;

    private readonly Bytes64 _bytes;

    public Signature(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new SolanaException($"A signature is {Length} bytes, not {bytes.Length}.");
        bytes.CopyTo(_bytes);
    }

    /// <summary>The all-zero placeholder of a signer that has not signed yet.</summary>
    public static Signature Empty => default;

    public bool IsEmpty => Bytes.IndexOfAnyExcept((byte)0) < 0;

    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _bytes[0]), Length);

    public byte[] ToArray() => Bytes.ToArray();

    public static Signature Parse(string text)
    {
        Span<byte> bytes = stackalloc byte[Length];
        Base58.DecodeExactly(text, bytes, "signature");
        return new Signature(bytes);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out Signature signature)
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (Base58.TryDecodeExactly(text, bytes))
        {
            signature = new Signature(bytes);
            return true;
        }
        signature = default;
        return false;
    }

    public override string ToString() => Base58.Encode(Bytes);

    public bool Equals(Signature other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Bytes);

    public static bool operator ==(Signature left, Signature right) => left.Equals(right);

    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);
}
