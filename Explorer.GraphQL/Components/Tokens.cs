using System.Globalization;
using IoNet.Explorer.Reads;

namespace IoNet.Explorer.Components;

/// <summary>A token the pages know how to show: its symbol and decimals (IO 8, IOSD 6, USDC 6).</summary>
public sealed record Token(string Symbol, string Name, int Decimals);

/// <summary>Which mint is which token (from <see cref="NetworkMints"/>); an unknown mint is shown in base units.</summary>
public sealed class TokenCatalog(NetworkMints mints)
{
    public static Token Io { get; } = new("IO", "IO, the network's token", 8);

    public static Token Iosd { get; } = new("IOSD", "IOSD, compute credits", 6);

    public static Token Usdc { get; } = new("USDC", "USD Coin", 6);

    public NetworkMints Mints => mints;

    public Token? Of(string? mint) =>
        mint is null ? null
        : mint == mints.Io ? Io
        : mint == mints.Iosd ? Iosd
        : mint == mints.Usdc ? Usdc
        : null;
}

/// <summary>Amounts in base units as text, exactly: integer division by the power of ten, never floating point.</summary>
public static class AmountText
{
    /// <summary>The whole part with thousands separators, the significant fraction digits and the trailing zeros apart.</summary>
    public static (string Whole, string Fraction, string Zeros) Split(ulong baseUnits, int decimals)
    {
        if (decimals is < 0 or > 19)
            throw new ArgumentOutOfRangeException(nameof(decimals));
        var scale = Pow10(decimals);
        var whole = (baseUnits / scale).ToString("N0", CultureInfo.InvariantCulture);
        if (decimals == 0)
            return (whole, "", "");
        var digits = (baseUnits % scale).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0');
        var significant = digits.TrimEnd('0');
        return (whole, significant, new string('0', decimals - significant.Length));
    }

    /// <summary>"1,234.50000000": every decimal shown.</summary>
    public static string Format(ulong baseUnits, int decimals)
    {
        var (whole, fraction, zeros) = Split(baseUnits, decimals);
        return decimals == 0 ? whole : $"{whole}.{fraction}{zeros}";
    }

    /// <summary>"1234.5": exact, no separators, no trailing zeros (CSV files).</summary>
    public static string Plain(ulong baseUnits, int decimals)
    {
        if (decimals == 0)
            return baseUnits.ToString(CultureInfo.InvariantCulture);
        var scale = Pow10(decimals);
        var fraction = (baseUnits % scale).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0').TrimEnd('0');
        var whole = (baseUnits / scale).ToString(CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }

    /// <summary>A credit purchase's rate (micro-USD per whole IO, as its memo says) in USD with six decimals, exactly.</summary>
    public static string UsdPerIo(string microUsd) =>
        ulong.TryParse(microUsd, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) ? Format(rate, 6) : microUsd;

    public static ulong Pow10(int decimals)
    {
        var scale = 1UL;
        for (var i = 0; i < decimals; i++)
            scale = checked(scale * 10);
        return scale;
    }
}
