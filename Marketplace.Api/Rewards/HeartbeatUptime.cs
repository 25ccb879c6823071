using IoNet.Marketplace.Uptime;
using IoNet.Suppliers.Uptime;

namespace IoNet.Marketplace.Rewards;

/// <summary>
/// The <see cref="IRewardUptime"/> of the running marketplace: the per-hour green buckets the heartbeats left
/// (<see cref="IDeviceUptimeReader"/>), summed over the whole UTC hours that start in the window. A device that never
/// beat is absent (no uptime: not nominated).
/// </summary>
public sealed class HeartbeatUptime(IDeviceUptimeReader reader) : IRewardUptime
{
    public async Task<IReadOnlyDictionary<Guid, TimeSpan>> GreenUptimeAsync(
        IReadOnlyCollection<Guid> devices, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, TimeSpan>();
        if (devices.Count == 0)
            return result;
        var firstHour = DeviceUptime.HourOf(from);
        var endHour = DeviceUptime.HourOf(to);
        foreach (var (device, uptime) in await reader.ReadAsync(devices, cancellationToken))
        {
            long ms = 0;
            foreach (var (hour, green) in uptime.GreenMillisecondsByHour)
            {
                if (hour >= firstHour && hour < endHour)
                    ms = checked(ms + Math.Clamp(green, 0, DeviceUptime.MillisecondsPerHour));
            }
            result[device] = TimeSpan.FromMilliseconds(ms);
        }
        return result;
    }
}
