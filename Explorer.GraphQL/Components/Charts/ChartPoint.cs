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
    public static IReadOnlyList<decimal> Ticks(decimal max, int count = 4) => Ticks(0, max, count);

    /// <summary>Round ticks over [min, max] (a line whose values sit far from zero, like a supply, shows its changes).</summary>
    public static IReadOnlyList<decimal> Ticks(decimal min, decimal max, int count = 4)
    {
        if (min > 0 && min == max)
            min = 0;
        if (max <= min)
            return max <= 0 ? [0m, 1m] : [0m, max];
        var raw = (max - min) / count;
        var magnitude = 1m;
        while (magnitude * 10 <= raw)
            magnitude *= 10;
        while (magnitude > raw && magnitude > 0.000000000001m)
            magnitude /= 10;
        var ticks = new List<decimal>();
        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m, 20m }.Select(f => f * magnitude))
        {
            var start = Math.Floor(min / step) * step;
            if (start + (step * count) < max)
                continue;
            for (var t = start; ticks.Count == 0 || ticks[^1] < max; t += step)
                ticks.Add(t);
            break;
        }
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
