using System.Globalization;

namespace IoNet.Explorer.Components.Charts;

/// <summary>
/// One point of a chart: its label, its value in display units (an exact decimal, e.g. whole IO) for the geometry, and
/// the exact text shown on hover and to screen readers.
/// </summary>
public sealed record ChartPoint(string Label, decimal Value, string ValueText);

public enum ChartKind { Bar, Line }

/// <summary>The chart's scale: "nice" round ticks from zero to at least the largest value.</summary>
public static class ChartScale
{
    public static IReadOnlyList<decimal> Ticks(decimal max, int count = 4)
    {
        if (max <= 0)
            return [0m, 1m];
        var raw = max / count;
        var magnitude = 1m;
        while (magnitude * 10 <= raw)
            magnitude *= 10;
        while (magnitude > raw)
            magnitude /= 10;
        var step = new[] { 1m, 2m, 2.5m, 5m, 10m }.Select(f => f * magnitude).First(s => s * count >= max);
        var ticks = new List<decimal>();
        for (var t = 0m; ticks.Count <= count && t < max + step; t += step)
            ticks.Add(t);
        return ticks;
    }

    /// <summary>An axis label: 1.5k, 2M, 0.25.</summary>
    public static string Compact(decimal value)
    {
        var (scaled, suffix) = Math.Abs(value) switch
        {
            >= 1_000_000_000_000m => (value / 1_000_000_000_000m, "T"),
            >= 1_000_000_000m => (value / 1_000_000_000m, "B"),
            >= 1_000_000m => (value / 1_000_000m, "M"),
            >= 10_000m => (value / 1_000m, "k"),
            _ => (value, ""),
        };
        return Math.Round(scaled, 3).ToString("0.###", CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>Base units in display units, exactly (decimal holds 28 digits; a ulong has 20).</summary>
    public static decimal Display(ulong baseUnits, int decimals) => baseUnits / (decimal)AmountText.Pow10(decimals);
}
