using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace IoNet.Suppliers;

/// <summary>32 bytes with value equality: a SHA-256 hash, a Merkle root, a proof-of-work seed or salt.</summary>
public readonly struct Bytes32 : IEquatable<Bytes32>
{
    public const int Length = 32;

    private readonly Inline _bytes;

    public Bytes32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"Expected {Length} bytes, not {bytes.Length}.", nameof(bytes));
        bytes.CopyTo(_bytes);
    }

    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _bytes[0]), Length);

    public byte[] ToArray() => Bytes.ToArray();

    public void WriteTo(Span<byte> destination) => Bytes.CopyTo(destination);

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Bytes32 Sha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[Length];
        SHA256.HashData(data, hash);
        return new Bytes32(hash);
    }

    public static Bytes32 Random() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>64 lower-case hex digits.</summary>
    public string ToHex() => Convert.ToHexStringLower(Bytes);

    public override string ToString() => ToHex();

    /// <summary>Exactly 64 hex digits (either case).</summary>
    public static Bytes32 ParseHex(string hex) =>
        TryParseHex(hex, out var value) ? value : throw new FormatException($"'{hex}' is not 64 hex digits.");

    public static bool TryParseHex([NotNullWhen(true)] string? hex, out Bytes32 value)
    {
        value = default;
        if (hex is null || hex.Length != 2 * Length || !hex.All(char.IsAsciiHexDigit))
            return false;
        value = new Bytes32(Convert.FromHexString(hex));
        return true;
    }

    public bool Equals(Bytes32 other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Bytes32 other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    public static bool operator ==(Bytes32 left, Bytes32 right) => left.Equals(right);

    public static bool operator !=(Bytes32 left, Bytes32 right) => !left.Equals(right);

    [InlineArray(Length)]
    private struct Inline
    {
        private byte _element0;
    }
}
