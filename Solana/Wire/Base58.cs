namespace IoNet.Solana.Wire;

/// <summary>Base58 with Solana's (Bitcoin's) alphabet; every failure is a <see cref="SolanaException"/>.</summary>
public static class Base58
{
    private static readonly SimpleBase.Base58 Codec = SimpleBase.Base58.Bitcoin;

    public static string Encode(ReadOnlySpan<byte> bytes) => Codec.Encode(bytes);

    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static readonly System.Buffers.SearchValues<char> AlphabetChars = System.Buffers.SearchValues.Create(Alphabet);

    /// <summary>Whether every character is in the alphabet (SimpleBase fails on some non-ASCII input with other exceptions).</summary>
    public static bool IsAlphabet(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(AlphabetChars);

    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsAlphabet(text))
            throw new SolanaException($"Invalid base58 text '{Shorten(text)}': a character outside the base58 alphabet.");
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

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
