using IoNet.Suppliers.Uptime;

namespace IoNet.Marketplace.Uptime;

/// <summary>Marketplace:Uptime: heartbeat cadence and thresholds (docs/rewards.md, "Uptime"); seconds in tests and on localnet.</summary>
public sealed class UptimeSettings
{
    public const string Section = "Marketplace:Uptime";

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Beats missed in a row before the sweep marks a device Down.</summary>
    public int MissedBeatsForDown { get; set; } = 3;

    public TimeSpan InactiveAfter { get; set; } = TimeSpan.FromDays(5);

    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long hourly buckets and gaps are kept: at least the 30 days GET /api/devices/{id}/uptime shows.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(31);

    /// <summary>How often the sweep looks for silent devices; the heartbeat interval when unset.</summary>
    public TimeSpan? SweepInterval { get; set; }

    /// <summary>Run the background sweep (tests that drive the clock call <see cref="UptimeSweep.SweepAsync"/> themselves).</summary>
    public bool SweepEnabled { get; set; } = true;

    public UptimeRules Rules => new()
    {
        HeartbeatInterval = HeartbeatInterval, MissedBeatsForDown = MissedBeatsForDown, InactiveAfter = InactiveAfter,
        MaxClockSkew = MaxClockSkew, Retention = Retention,
    };

    public void Validate()
    {
        if (HeartbeatInterval <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Section}:HeartbeatInterval must be positive.");
        if (MissedBeatsForDown < 1)
            throw new InvalidOperationException($"{Section}:MissedBeatsForDown must be at least 1.");
        if (InactiveAfter <= HeartbeatInterval * MissedBeatsForDown)
            throw new InvalidOperationException($"{Section}:InactiveAfter must be longer than the Down threshold (interval × missed beats).");
        if (SweepInterval is { } sweep && sweep <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Section}:SweepInterval must be positive.");
    }
}
