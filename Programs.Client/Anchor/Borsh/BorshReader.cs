using System.Buffers.Binary;
using System.Globalization;

namespace IoNet.Programs.Anchor.Borsh;

/// <summary>Reads Borsh primitives from a byte buffer; running past the end is an <see cref="AnchorCoderException"/>.</summary>
internal sealed class BorshReader(ReadOnlyMemory<byte> data)
{
    public int Position { get; private set; }

    public int Remaining => data.Length - Position;

    public ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > Remaining)
            throw new AnchorCoderException(string.Create(CultureInfo.InvariantCulture,
                $"Borsh data ends early: {what} needs {count} bytes at offset {Position}, {Remaining} left."));
        var span = data.Span.Slice(Position, count);
        Position += count;
        return span;
    }

    public byte U8(string what) => Take(1, what)[0];

    public ushort U16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public uint U32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong U64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    /// <summary>A u32 length prefix that must not promise more elements than the bytes left could hold.</summary>
    public int Length(string what, int minElementSize)
    {
        var at = Position;
        var n = U32(what + " length");
        var most = minElementSize == 0 ? MaxZeroSizedElements : (long)Remaining / minElementSize;
        if (n > most)
            throw new AnchorCoderException(string.Create(CultureInfo.InvariantCulture,
                $"Borsh length {n} of {what} at offset {at} is more than the {Remaining} bytes left can hold."));
        return (int)n;
    }

    public const int MaxZeroSizedElements = 4096;
}
