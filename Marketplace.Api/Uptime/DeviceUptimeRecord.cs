using IoNet.Ledger.Devices;
using IoNet.Suppliers.Uptime;
using Marten.Schema;

namespace IoNet.Marketplace.Uptime;

/// <summary>
/// One device's uptime as the store keeps it (document id: the device id as 32 hex digits): the per-hour buckets and
/// gaps of <see cref="DeviceUptime"/>, rewritten by each accepted beat (no event per beat), and what the sweep last did
/// to the device's status. Optimistic concurrency: a beat and the sweep racing on one device cannot both win.
/// </summary>
[UseOptimisticConcurrency]
public sealed class DeviceUptimeRecord
{
    public string Id { get; set; } = "";
    public Guid Device { get; set; }
    public DateTimeOffset? LastBeat { get; set; }
    public long Beats { get; set; }

    /// <summary>Green milliseconds by hour since the Unix epoch (decimal string keys, as JSON's keys are strings).</summary>
    public Dictionary<string, int> GreenMillisecondsByHour { get; set; } = [];

    public List<GapRecord> Gaps { get; set; } = [];

    /// <summary>Up until the sweep finds the device silent; Down or Inactive once it changed (or meant to change) the device's status.</summary>
    public UptimeStatus Marked { get; set; } = UptimeStatus.Up;

    /// <summary>The device's status when the sweep took it Down (a hired device returns to Hired if its rental goes on).</summary>
    public DeviceStatus? DownFrom { get; set; }

    public DateTimeOffset? MarkedAt { get; set; }

    public static string Key(Guid device) => device.ToString("N");

    public static DeviceUptimeRecord New(Guid device) => new() { Id = Key(device), Device = device };

    public DeviceUptime ToUptime() => DeviceUptime.Restore(
        Device, LastBeat, Beats,
        GreenMillisecondsByHour.Select(p => KeyValuePair.Create(long.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p.Value)),
        Gaps.Select(g => new HeartbeatGap(g.From, g.To)));

    public void Keep(DeviceUptime uptime)
    {
        LastBeat = uptime.LastBeat;
        Beats = uptime.Beats;
        GreenMillisecondsByHour = uptime.GreenMillisecondsByHour.ToDictionary(
            p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value);
        Gaps = [.. uptime.Gaps.Select(g => new GapRecord { From = g.From, To = g.To })];
    }
}

public sealed class GapRecord
{
    public DateTimeOffset From { get; set; }
    public DateTimeOffset To { get; set; }
}
