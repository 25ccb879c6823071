using System.Buffers.Binary;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Decoding;

/// <summary>Builds little-endian instruction data.</summary>
internal sealed class InstructionWriter
{
    private readonly List<byte> _bytes = new(16);

    public InstructionWriter U8(byte value) { _bytes.Add(value); return this; }

    public InstructionWriter U16(ushort value) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, value); _bytes.AddRange(b); return this; }

    public InstructionWriter U32(uint value) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, value); _bytes.AddRange(b); return this; }

    public InstructionWriter U64(ulong value) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, value); _bytes.AddRange(b); return this; }

    public InstructionWriter Key(PublicKey key) { _bytes.AddRange(key.Bytes); return this; }

    public InstructionWriter OptionalKey(PublicKey? key) => key is { } k ? U8(1).Key(k) : U8(0);

    public InstructionWriter Bytes(ReadOnlySpan<byte> bytes) { _bytes.AddRange(bytes); return this; }

    public byte[] ToArray() => [.. _bytes];
}
