namespace IoNet.Marketplace.Matching;

/// <summary>A set of ISO 3166 alpha-2 codes as a 676-bit set (26 × 26 letters): membership is one bit test.</summary>
internal sealed class CountrySet
{
    private readonly ulong[] _bits = new ulong[11];

    /// <summary>Index of an upper-case two-letter code in 0..675, or -1 when it is not two letters A–Z.</summary>
    internal static int IndexOf(string code) =>
        code.Length == 2 && code[0] is >= 'A' and <= 'Z' && code[1] is >= 'A' and <= 'Z'
            ? (code[0] - 'A') * 26 + (code[1] - 'A')
            : -1;

    /// <summary>As <see cref="IndexOf"/>, accepting lower-case letters too.</summary>
    internal static int IndexOfAnyCase(string code) =>
        code.Length == 2 && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1])
            ? (char.ToUpperInvariant(code[0]) - 'A') * 26 + (char.ToUpperInvariant(code[1]) - 'A')
            : -1;

    /// <summary>The upper-case spelling of a valid code (the same string when it already is).</summary>
    internal static string Canonical(string code) =>
        char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) ? code : code.ToUpperInvariant();

    internal void Add(int index) => _bits[index >> 6] |= 1UL << (index & 63);

    internal bool Contains(int index) => (_bits[index >> 6] & (1UL << (index & 63))) != 0;
}
