using IoNet.Ledger.Devices;
using IoNet.Suppliers.Uptime;

namespace IoNet.Marketplace.Uptime;

/// <summary>
/// What heartbeats and silence do to a device's marketplace status (pure: the caller passes the state and the time).
/// Only serving devices (Idle, Hired) go Down; Inactive also takes a Down one. A beat brings back only what the sweep
/// took down: an operator's Down, a pause or a block stay.
/// </summary>
public static class UptimeDecisions
{
    public const string By = "uptime";

    /// <summary>The sweep's change for a device whose uptime status is <paramref name="status"/> at <paramref name="now"/>, or null.</summary>
    public static DeviceStatusChanged? OnSilence(Device device, DeviceUptimeRecord record, UptimeStatus status, UptimeRules rules, DateTimeOffset now)
    {
        var last = record.LastBeat!.Value;
        return status switch
        {
            UptimeStatus.Inactive when record.Marked != UptimeStatus.Inactive
                && device.Status is DeviceStatus.Idle or DeviceStatus.Hired or DeviceStatus.Down =>
                new DeviceStatusChanged(device.DeviceId, device.Status, DeviceStatus.Inactive,
                    $"no heartbeat since {last:u} (more than {rules.InactiveAfter.TotalDays:0.##} days)", By, now),
            UptimeStatus.Down when record.Marked == UptimeStatus.Up && device.Status is DeviceStatus.Idle or DeviceStatus.Hired =>
                new DeviceStatusChanged(device.DeviceId, device.Status, DeviceStatus.Down,
                    $"no heartbeat since {last:u} ({rules.MissedBeatsForDown} beats missed)", By, now),
            _ => null,
        };
    }

    /// <summary>The change an accepted beat makes: back to service (Hired while its rental goes on, else Idle) if the sweep took the device out.</summary>
    public static DeviceStatusChanged? OnBeat(Device device, DeviceUptimeRecord record, bool stillHired, DateTimeOffset now) =>
        record.Marked is UptimeStatus.Down or UptimeStatus.Inactive && device.Status is DeviceStatus.Down or DeviceStatus.Inactive
            ? new DeviceStatusChanged(device.DeviceId, device.Status, stillHired ? DeviceStatus.Hired : DeviceStatus.Idle, "heartbeats resumed", By, now)
            : null;
}
