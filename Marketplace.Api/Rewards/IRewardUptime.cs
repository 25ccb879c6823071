namespace IoNet.Marketplace.Rewards;

/// <summary>
/// What a reward block needs of the heartbeats: each device's green uptime in the whole UTC hours that start in
/// [<c>from</c> rounded down to the hour, <c>to</c> rounded down to the hour) — for an hour-aligned window exactly
/// <see cref="Suppliers.Uptime.DeviceUptime.GreenUptime"/>. A device with no record is absent (or zero).
/// </summary>
public interface IRewardUptime
{
    Task<IReadOnlyDictionary<Guid, TimeSpan>> GreenUptimeAsync(
        IReadOnlyCollection<Guid> devices, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
