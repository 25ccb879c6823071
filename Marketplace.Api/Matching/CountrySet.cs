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

    internal void Add(int index) => _bits[index >> 6] |= 1UL << (index & 63);

    internal bool Contains(int index) => (_bits[index >> 6] & (1UL << (index & 63))) != 0;
}
