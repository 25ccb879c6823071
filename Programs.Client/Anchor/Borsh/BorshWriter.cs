using System.Buffers.Binary;

namespace IoNet.Programs.Anchor.Borsh;

/// <summary>Appends Borsh primitives (little-endian, u32 length prefixes).</summary>
internal sealed class BorshWriter
{
    private readonly List<byte> _bytes = new(64);

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) _bytes.Add(b);
    }

    public void U8(byte value) => _bytes.Add(value);

    public void U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        Bytes(b);
    }

    public void U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        Bytes(b);
    }

    public void U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        Bytes(b);
    }

    public byte[] ToArray() => [.. _bytes];
}
