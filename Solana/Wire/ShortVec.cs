namespace IoNet.Solana.Wire;

/// <summary>
/// Solana's compact-u16 length prefix: 7 bits per byte, little-endian, high bit = more; at most 3 bytes, no
/// overlong (non-canonical) forms and nothing above 0xFFFF, exactly as solana's short_vec decoder rules.
/// </summary>
public static class ShortVec
{
    public const int MaxLength = 3;

    public static int EncodedLength(int value) => value < 0x80 ? 1 : value < 0x4000 ? 2 : 3;

    public static int Write(Span<byte> destination, int value)
    {
        if ((uint)value > ushort.MaxValue)
            throw new SolanaException($"A short_vec length must be 0..65535, not {value}.");
        var n = 0;
        var rest = (uint)value;
        while (true)
        {
            var b = (byte)(rest & 0x7F);
            rest >>= 7;
            if (rest == 0)
            {
                destination[n++] = b;
                return n;
            }
            destination[n++] = (byte)(b | 0x80);
        }
    }

    public static byte[] Encode(int value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return buffer[..Write(buffer, value)].ToArray();
    }

    /// <summary>Reads a length at <paramref name="offset"/> and advances past it.</summary>
    public static int Read(ReadOnlySpan<byte> source, ref int offset)
    {
        var value = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (offset >= source.Length)
                throw new SolanaException("Truncated short_vec length.");
            var b = source[offset++];
            var bits = b & 0x7F;
            // The third byte carries bits 14..15 only; anything above would exceed u16.
            if (i == 2 && b > 0x03)
                throw new SolanaException("short_vec length overflows u16.");
            value |= bits << (7 * i);
            if ((b & 0x80) == 0)
            {
                // A zero continuation byte (other than a lone 0) is an overlong, non-canonical encoding.
                if (i > 0 && b == 0)
                    throw new SolanaException("Non-canonical short_vec length (overlong encoding).");
                return value;
            }
        }
        throw new SolanaException("short_vec length longer than 3 bytes.");
    }
}
