using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IoNet.Solana.Wire;

namespace IoNet.Solana.Keys;

/// <summary>A recent blockhash (32 bytes, base58) that a message is valid for.</summary>
public readonly struct Blockhash : IEquatable<Blockhash>
{
    public const int Length = 32;

    private readonly Bytes32 _bytes;

    public Blockhash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new SolanaException($"A blockhash is {Length} bytes, not {bytes.Length}.");
        bytes.CopyTo(_bytes);
    }

    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _bytes[0]), Length);

    public static Blockhash Parse(string text)
    {
        Span<byte> bytes = stackalloc byte[Length];
        Base58.DecodeExactly(text, bytes, "blockhash");
        return new Blockhash(bytes);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out Blockhash blockhash)
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (Base58.TryDecodeExactly(text, bytes))
        {
            blockhash = new Blockhash(bytes);
            return true;
        }
        blockhash = default;
        return false;
    }

    public override string ToString() => Base58.Encode(Bytes);

    public bool Equals(Blockhash other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Blockhash other && Equals(other);

    public override int GetHashCode() => MemoryMarshal.Read<int>(Bytes);

    public static bool operator ==(Blockhash left, Blockhash right) => left.Equals(right);

    public static bool operator !=(Blockhash left, Blockhash right) => !left.Equals(right);
}
