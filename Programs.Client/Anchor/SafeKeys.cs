using System.Diagnostics.CodeAnalysis;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Anchor;

/// <summary>
/// PublicKey.TryParse for untrusted text: only base58 characters and at most 44 of them reach the SDK's parser
/// (which throws IndexOutOfRangeException on characters above 'z', e.g. "é").
/// </summary>
internal static class SafeKeys
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static bool TryParse([NotNullWhen(true)] string? text, out PublicKey key)
    {
        key = default;
        if (text is null || text.Length is 0 or > 44) return false;
        foreach (var c in text)
            if (!Alphabet.Contains(c, StringComparison.Ordinal)) return false;
        try
        {
            return PublicKey.TryParse(text, out key);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or IoNet.Solana.SolanaException)
        {
            return false;
        }
    }
}
