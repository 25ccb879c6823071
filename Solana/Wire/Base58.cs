using System.Buffers.Binary;

namespace IoNet.Solana.Wire;

/// <summary>Base58 with Solana's (Bitcoin's) alphabet; every failure is a <see cref="SolanaException"/>.</summary>
/// <remarks>
/// Keys, hashes, signatures and short instruction data are converted here, in 32-bit limbs, five base58 digits
/// (58^5 &lt; 2^32) per multiply or divide; SimpleBase (one digit per pass over the bytes) takes what is longer.
/// Both give the same bytes and text, and reject the same input (tests/Solana.Tests/Wire/Base58FastPathTests.cs).
/// </remarks>
public static class Base58
{
    private static readonly SimpleBase.Base58 Codec = SimpleBase.Base58.Bitcoin;

    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static readonly System.Buffers.SearchValues<char> AlphabetChars = System.Buffers.SearchValues.Create(Alphabet);

    /// <summary>58^5, the largest power of 58 below 2^32.</summary>
    private const uint Radix5 = 58 * 58 * 58 * 58 * 58;

    /// <summary>Longest input (bytes to encode, characters to decode) taken by the limb code; longer goes to SimpleBase.</summary>
    private const int MaxFastBytes = 128;
    private const int MaxFastChars = 176;

    private static readonly sbyte[] DigitOf = BuildDigits();

    private static sbyte[] BuildDigits()
    {
        var digits = new sbyte[128];
        digits.AsSpan().Fill(-1);
        for (var i = 0; i < Alphabet.Length; i++)
            digits[Alphabet[i]] = (sbyte)i;
        return digits;
    }

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxFastBytes)
            return Codec.Encode(bytes);
        var zeros = bytes.IndexOfAnyExcept((byte)0);
        if (zeros < 0)
            return new string('1', bytes.Length);
        var number = bytes[zeros..];

        // The number in big-endian 32-bit limbs (the first one padded with zero bytes).
        var limbCount = (number.Length + 3) / 4;
        Span<uint> limbs = stackalloc uint[MaxFastBytes / 4];
        limbs = limbs[..limbCount];
        var head = number.Length - (limbCount - 1) * 4;
        uint first = 0;
        for (var i = 0; i < head; i++)
            first = (first << 8) | number[i];
        limbs[0] = first;
        for (var j = 1; j < limbCount; j++)
            limbs[j] = BinaryPrimitives.ReadUInt32BigEndian(number[(head + (j - 1) * 4)..]);

        // Five digits per division by 58^5, least significant first, written from the end.
        Span<char> digits = stackalloc char[MaxFastBytes * 3];
        var at = digits.Length;
        var top = 0;
        while (top < limbCount)
        {
            ulong remainder = 0;
            for (var j = top; j < limbCount; j++)
            {
                var value = (remainder << 32) | limbs[j];
                limbs[j] = (uint)(value / Radix5);
                remainder = value % Radix5;
            }
            while (top < limbCount && limbs[top] == 0)
                top++;
            var r = (uint)remainder;
            for (var k = 0; k < 5; k++)
            {
                digits[--at] = Alphabet[(int)(r % 58)];
                r /= 58;
            }
        }
        // The last division's leading zero digits are not part of the number; each leading zero byte is a '1'.
        while (at < digits.Length && digits[at] == '1')
            at++;
        at -= zeros;
        digits.Slice(at, zeros).Fill('1');
        return new string(digits[at..]);
    }

    /// <summary>Whether every character is in the alphabet (SimpleBase fails on some non-ASCII input with other exceptions).</summary>
    public static bool IsAlphabet(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(AlphabetChars);

    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsAlphabet(text))
            throw new SolanaException($"Invalid base58 text '{Shorten(text)}': a character outside the base58 alphabet.");
        if (text.Length <= MaxFastChars)
        {
            var zeros = text.AsSpan().IndexOfAnyExcept('1');
            if (zeros < 0)
                return new byte[text.Length];
            // 58 < 2^6: the number fits in 6 bits a character; a spare limb keeps the carry in range.
            Span<uint> limbs = stackalloc uint[MaxFastChars * 6 / 32 + 2];
            limbs = limbs[..((text.Length - zeros) * 6 / 32 + 2)];
            var ok = TryToLimbs(text.AsSpan(zeros), limbs);
            System.Diagnostics.Debug.Assert(ok);
            Span<byte> value = stackalloc byte[limbs.Length * 4];
            for (var j = 0; j < limbs.Length; j++)
                BinaryPrimitives.WriteUInt32BigEndian(value[(j * 4)..], limbs[j]);
            var number = value[value.IndexOfAnyExcept((byte)0)..];
            var result = new byte[zeros + number.Length];
            number.CopyTo(result.AsSpan(zeros));
            return result;
        }
        try
        {
            return Codec.Decode(text);
        }
        catch (ArgumentException e)
        {
            throw new SolanaException($"Invalid base58 text '{Shorten(text)}': {e.Message}", e);
        }
    }

    /// <summary>Decodes exactly <paramref name="destination"/>.Length bytes, or throws naming <paramref name="what"/>.</summary>
    public static void DecodeExactly(string text, Span<byte> destination, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryDecodeExactly(text, destination))
            throw new SolanaException($"Invalid {what} '{Shorten(text)}': expected base58 of exactly {destination.Length} bytes.");
    }

    public static bool TryDecodeExactly(string? text, Span<byte> destination)
    {
        // Base58 of n bytes is at most ~1.37n characters; reject absurd input before decoding it.
        if (string.IsNullOrEmpty(text) || text.Length > destination.Length * 2 || !IsAlphabet(text))
            return false;
        if (destination.Length <= MaxFastBytes)
            return TryDecodeExactlyFast(text, destination);
        // One spare byte tells "too long" from "fits"; a larger buffer costs time, the decoder's carry loop runs over all of it.
        Span<byte> buffer = stackalloc byte[destination.Length + 1];
        try
        {
            if (!Codec.TryDecode(text, buffer, out var written) || written != destination.Length)
                return false;
            buffer[..written].CopyTo(destination);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Exactly <paramref name="destination"/>.Length bytes: one zero byte for each leading '1', then the rest as a
    /// big-endian number without leading zero bytes; anything shorter or longer is refused. Text is in the alphabet.
    /// </summary>
    private static bool TryDecodeExactlyFast(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var n = destination.Length;
        var zeros = text.IndexOfAnyExcept('1');
        if (zeros < 0)
            zeros = text.Length;
        if (zeros > n)
            return false;
        var rest = text[zeros..];
        Span<uint> limbs = stackalloc uint[MaxFastBytes / 4];
        limbs = limbs[..((n + 3) / 4)];
        if (!TryToLimbs(rest, limbs))
            return false; // more than the limbs hold: longer than n bytes
        Span<byte> value = stackalloc byte[MaxFastBytes];
        value = value[..(limbs.Length * 4)];
        for (var j = 0; j < limbs.Length; j++)
            BinaryPrimitives.WriteUInt32BigEndian(value[(j * 4)..], limbs[j]);
        var lead = value.IndexOfAnyExcept((byte)0);
        var length = lead < 0 ? 0 : value.Length - lead;
        if (zeros + length != n)
            return false;
        destination[..zeros].Clear();
        value[(value.Length - length)..].CopyTo(destination[zeros..]);
        return true;
    }

    /// <summary>The base58 digits as a big-endian number in <paramref name="limbs"/> (cleared first); false when it does not fit.</summary>
    private static bool TryToLimbs(ReadOnlySpan<char> digits, Span<uint> limbs)
    {
        limbs.Clear();
        var i = 0;
        var group = digits.Length % 5;
        if (group == 0)
            group = 5;
        while (i < digits.Length)
        {
            uint add = 0;
            uint multiplier = 1;
            for (var k = 0; k < group; k++)
            {
                var c = digits[i + k];
                var d = c < 128 ? DigitOf[c] : -1;
                if (d < 0)
                    return false;
                add = add * 58 + (uint)d;
                multiplier *= 58;
            }
            ulong carry = add;
            for (var j = limbs.Length - 1; j >= 0; j--)
            {
                var value = (ulong)limbs[j] * multiplier + carry;
                limbs[j] = (uint)value;
                carry = value >> 32;
            }
            if (carry != 0)
                return false;
            i += group;
            group = 5;
        }
        return true;
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
