using System.Globalization;
using IoNet.Programs.Decoding;

namespace IoNet.Programs.SolanaPay;

/// <summary>
/// Exact conversion between Solana Pay's "user unit" amounts ("1.5", "0.01") and integer base units for a mint's
/// decimals. No floating point: a string of digits either converts exactly or is refused.
/// </summary>
public static class TokenAmount
{
    /// <summary>Base units to the shortest decimal text: no trailing zeros, a leading 0 before the point, no exponent.</summary>
    public static string Format(ulong baseUnits, byte decimals)
    {
        var digits = baseUnits.ToString(CultureInfo.InvariantCulture);
        if (decimals == 0)
            return digits;
        digits = digits.PadLeft(decimals + 1, '0');
        var whole = digits[..^decimals];
        var fraction = digits[^decimals..].TrimEnd('0');
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }

    /// <summary>Whether <paramref name="text"/> is a valid amount: digits, optionally a point and more digits.</summary>
    public static bool IsWellFormed(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return false;
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "1" : text[(point + 1)..];
        return whole.Length > 0 && fraction.Length > 0 && whole.All(char.IsAsciiDigit) && fraction.All(char.IsAsciiDigit);
    }

    /// <summary>
    /// The decimal places <paramref name="text"/> states, trailing zeros not counted ("1.50" has 1), as @solana/pay's
    /// createTransfer counts them before it refuses an amount finer than the mint.
    /// </summary>
    public static int DecimalPlaces(string text)
    {
        if (!IsWellFormed(text))
            throw new ProgramDecodeException($"Amount '{text}' is not a non-negative decimal number (digits, optional point and digits; no sign or exponent).");
        var point = text.IndexOf('.', StringComparison.Ordinal);
        return point < 0 ? 0 : text[(point + 1)..].TrimEnd('0').Length;
    }

    /// <summary>The amount in base units; refuses more fraction digits than the mint has, and values beyond u64.</summary>
    public static ulong ToBaseUnits(string text, byte decimals)
    {
        if (!IsWellFormed(text))
            throw new ProgramDecodeException($"Amount '{text}' is not a non-negative decimal number (digits, optional point and digits; no sign or exponent).");
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..].TrimEnd('0');
        if (fraction.Length > decimals)
            throw new ProgramDecodeException($"Amount '{text}' has more decimal places than the mint's {decimals}.");
        var digits = (whole + fraction.PadRight(decimals, '0')).TrimStart('0');
        if (digits.Length == 0)
            return 0;
        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var units)
            ? units
            : throw new ProgramDecodeException($"Amount '{text}' is too large for a token amount.");
    }
}
