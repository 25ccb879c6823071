using System.Globalization;
using IoNet.Explorer.Reads;

namespace IoNet.Explorer.Components.Charts;

/// <summary>Chart points from a mint's supply series: the supply after each span, and what was burned in each.</summary>
public static class SupplyCharts
{
    /// <summary>The circulating supply at the end of each span (genesis counts as minted, so it starts from zero).</summary>
    public static IReadOnlyList<ChartPoint> Supply(SupplySeries series, Token token)
    {
        var points = new List<ChartPoint>(series.Buckets.Count);
        Int128 supply = 0;
        foreach (var bucket in series.Buckets)
        {
            supply = checked(supply + bucket.Minted - bucket.Burned);
            var value = supply < 0 ? 0UL : (ulong)supply;
            points.Add(new ChartPoint(Label(bucket.Start, series.BucketSeconds), ChartScale.Display(value, token.Decimals), $"{AmountText.Format(value, token.Decimals)} {token.Symbol}"));
        }
        return points;
    }

    public static IReadOnlyList<ChartPoint> Burned(SupplySeries series, Token token) =>
        [.. series.Buckets.Select(b => new ChartPoint(Label(b.Start, series.BucketSeconds), ChartScale.Display(b.Burned, token.Decimals), $"{AmountText.Format(b.Burned, token.Decimals)} {token.Symbol}"))];

    /// <summary>A span's start in UTC, as precise as the spans are wide.</summary>
    public static string Label(long start, long bucketSeconds)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(start);
        var format = bucketSeconds >= 86_400 ? "yyyy-MM-dd" : bucketSeconds >= 60 ? "MM-dd HH:mm" : "HH:mm:ss";
        return at.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string Span(long bucketSeconds) => bucketSeconds switch
    {
        <= 0 => "",
        < 120 => $"{bucketSeconds} s",
        < 7200 => $"{bucketSeconds / 60.0:0.#} min",
        < 172_800 => $"{bucketSeconds / 3600.0:0.#} h",
        _ => $"{bucketSeconds / 86_400.0:0.#} days",
    };
}
