using System.Globalization;
using Marten.Events.Projections;

namespace IoNet.Ledger.Market;

/// <summary>
/// Market prices of one GPU model from the order book's journal (async projection of <see cref="BidFilled"/>; document
/// id = the model as the catalogue spells it): the latest fill and volume, in total and per hour, so that the explorer
/// reads prices from PostgreSQL. Prices are micro-USD per GPU-hour; volume is what buyers booked (Σ price × GPUs × hours).
/// </summary>
public sealed class MarketPrice
{
    /// <summary>Hour buckets older than this before the latest fill are dropped (a day's volume needs 24).</summary>
    public const int KeptHours = 48;

    public string Id { get; set; } = "";

    /// <summary>GPU-weighted mean price of this model's devices in the latest fill.</summary>
    public ulong LastFillPrice { get; set; }

    public DateTimeOffset LastFillAt { get; set; }
    public long Fills { get; set; }
    public ulong GpuHours { get; set; }
    public ulong VolumeMicroUsd { get; set; }

    /// <summary>Per hour (key: its start, "yyyy-MM-ddTHH", UTC) the fills, GPU-hours and volume booked in it.</summary>
    public Dictionary<string, MarketHour> Hours { get; set; } = [];

    /// <summary>Volume booked from the hour holding <paramref name="from"/> on (whole hour buckets; from = now − 24 h for a day).</summary>
    public ulong VolumeSince(DateTimeOffset from) =>
        Hours.Where(h => string.CompareOrdinal(h.Key, HourKey(from)) >= 0).Aggregate(0UL, (sum, h) => checked(sum + h.Value.VolumeMicroUsd));

    public static string HourKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);
}

/// <summary>One hour's fills of a model.</summary>
public sealed record MarketHour(long Fills, ulong GpuHours, ulong VolumeMicroUsd);

public sealed class MarketPriceProjection : MultiStreamProjection<MarketPrice, string>
{
    public MarketPriceProjection()
    {
        Identities<BidFilled>(e => e.Devices.Select(d => d.GpuModel).Distinct(StringComparer.Ordinal).ToList());
    }

    // Evolve with the id: a class bid's fill touches several models, and each document takes its own model's part.
    public override MarketPrice? Evolve(MarketPrice? snapshot, string id, JasperFx.Events.IEvent e)
    {
        if (e.Data is not BidFilled filled)
            return snapshot;
        var view = snapshot ?? new MarketPrice { Id = id };
        Add(filled, view);
        return view;
    }

    private static void Add(BidFilled e, MarketPrice view)
    {
        ulong gpus = 0, perHour = 0;
        foreach (var d in e.Devices.Where(d => d.GpuModel == view.Id))
        {
            gpus += (ulong)d.GpuCount;
            perHour = checked(perHour + d.PricePerGpuHour * (ulong)d.GpuCount);
        }
        if (gpus == 0)
            return;
        var gpuHours = checked(gpus * (ulong)e.Hours);
        var volume = checked(perHour * (ulong)e.Hours);
        view.LastFillPrice = perHour / gpus;
        view.LastFillAt = e.At;
        view.Fills++;
        view.GpuHours = checked(view.GpuHours + gpuHours);
        view.VolumeMicroUsd = checked(view.VolumeMicroUsd + volume);
        var key = MarketPrice.HourKey(e.At);
        view.Hours[key] = view.Hours.TryGetValue(key, out var hour)
            ? new MarketHour(hour.Fills + 1, checked(hour.GpuHours + gpuHours), checked(hour.VolumeMicroUsd + volume))
            : new MarketHour(1, gpuHours, volume);
        var oldest = MarketPrice.HourKey(e.At.AddHours(-MarketPrice.KeptHours));
        foreach (var stale in view.Hours.Keys.Where(k => string.CompareOrdinal(k, oldest) < 0).ToList())
            view.Hours.Remove(stale);
    }
}
