using IoNet.Suppliers.Uptime;
using Marten;

namespace IoNet.Marketplace.Uptime;

/// <summary>Reads devices' uptime (per-hour green buckets, gaps, last beat) as the heartbeats left it; for reward nomination.</summary>
public interface IDeviceUptimeReader
{
    /// <summary>The rules the buckets were kept under (interval, Down threshold, retention): pass them to <see cref="DeviceUptime.StatusAt"/> and <see cref="DeviceUptime.GapsBetween"/>.</summary>
    UptimeRules Rules { get; }

    /// <summary>The uptime of each of <paramref name="devices"/> that ever beat; devices without a beat are absent.</summary>
    Task<IReadOnlyDictionary<Guid, DeviceUptime>> ReadAsync(IReadOnlyCollection<Guid> devices, CancellationToken cancellationToken);
}

/// <summary><see cref="IDeviceUptimeReader"/> over the <see cref="DeviceUptimeRecord"/> documents.</summary>
public sealed class MartenDeviceUptimeReader(IDocumentStore store, UptimeSettings settings) : IDeviceUptimeReader
{
    public UptimeRules Rules { get; } = settings.Rules;

    public async Task<IReadOnlyDictionary<Guid, DeviceUptime>> ReadAsync(IReadOnlyCollection<Guid> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0)
            return new Dictionary<Guid, DeviceUptime>();
        await using var session = store.QuerySession();
        var records = await session.LoadManyAsync<DeviceUptimeRecord>(cancellationToken, devices.Distinct().Select(DeviceUptimeRecord.Key).ToArray());
        return records.ToDictionary(r => r.Device, r => r.ToUptime());
    }
}
