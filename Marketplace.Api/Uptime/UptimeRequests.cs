using System.ComponentModel.DataAnnotations;
using IoNet.Ledger.Devices;
using IoNet.Suppliers.Uptime;

namespace IoNet.Marketplace.Uptime;

/// <summary>A signed heartbeat (Suppliers/Uptime/Heartbeat.cs): the device key's signature over the tag, the device id and <see cref="At"/>.</summary>
public sealed record HeartbeatRequest
{
    /// <summary>The beat's time, Unix milliseconds (what the device signed).</summary>
    [Required, Range(0, long.MaxValue)]
    public long? At { get; init; }

    /// <summary>The device key's ed25519 signature (base58) of the 43-byte heartbeat message.</summary>
    [Required, StringLength(88, MinimumLength = 64)]
    public string? Signature { get; init; }
}

public sealed record HeartbeatAccepted(Guid Device, DateTimeOffset At, long Beats, DeviceStatus DeviceStatus, double HeartbeatIntervalSeconds);

/// <summary>One hour's green time (the hour starts at <see cref="Hour"/>, UTC).</summary>
public sealed record UptimeHourView(DateTimeOffset Hour, int GreenMilliseconds);

/// <summary>No beat between <see cref="From"/> and <see cref="To"/>; <see cref="Open"/>: the device is still silent.</summary>
public sealed record HeartbeatGapView(DateTimeOffset From, DateTimeOffset To, double Seconds, bool Open);

/// <summary>A device's uptime: status from its last beat, the hours of the last 30 days with green time, and its heartbeat gaps.</summary>
public sealed record UptimeView(
    Guid Device, UptimeStatus Status, DeviceStatus DeviceStatus, DateTimeOffset? LastBeat, long Beats, double HeartbeatIntervalSeconds,
    long GreenSecondsLast24Hours, IReadOnlyList<UptimeHourView> Hours, IReadOnlyList<HeartbeatGapView> Gaps, IReadOnlyList<string> Anomalies);
