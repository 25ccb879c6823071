using System.Buffers.Binary;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Decoding;

/// <summary>Reads little-endian fields from instruction data, throwing <see cref="ProgramDecodeException"/> when it runs out.</summary>
internal ref struct InstructionReader(ReadOnlySpan<byte> data, string instruction)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _offset;

    public readonly int Remaining => _data.Length - _offset;

    public readonly ReadOnlySpan<byte> Rest => _data[_offset..];

    public byte U8() => Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public PublicKey Key() => new(Take(32));

    /// <summary>spl-token's packed optional key: 0, or 1 followed by 32 bytes.</summary>
    public PublicKey? OptionalKey() => U8() switch
    {
        0 => null,
        1 => Key(),
        var tag => throw new ProgramDecodeException($"{instruction}: optional key tag {tag} is neither 0 nor 1."),
    };

    public ReadOnlySpan<byte> Take(int length)
    {
        if (Remaining < length)
            throw new ProgramDecodeException($"{instruction}: data too short ({_data.Length} bytes).");
        var slice = _data.Slice(_offset, length);
        _offset += length;
        return slice;
    }
}
