namespace IoNet.Suppliers.Uptime;

/// <summary>Heartbeat cadence and the thresholds derived from it (docs/rewards.md, "Uptime"); the defaults are the issue's.</summary>
public sealed record UptimeRules
{
    public static readonly UptimeRules Default = new();

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Beats missed in a row before a device is Down (and the gap is an anomaly).</summary>
    public int MissedBeatsForDown { get; init; } = 3;

    public TimeSpan InactiveAfter { get; init; } = TimeSpan.FromDays(5);

    /// <summary>How far a beat's own time may be from the server's clock.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long hourly buckets and gaps are kept.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(8);

    /// <summary>Silence longer than this is a gap: <see cref="MissedBeatsForDown"/> intervals.</summary>
    public TimeSpan GapThreshold => HeartbeatInterval * MissedBeatsForDown;
}
