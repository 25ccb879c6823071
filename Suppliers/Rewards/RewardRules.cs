namespace IoNet.Suppliers.Rewards;

/// <summary>
/// The nomination thresholds and score weights (docs/rewards.md, "Nomination" and "Score"); the defaults are the
/// issue's numbers. Weights are in hundredths so that every score is an integer.
/// </summary>
public sealed record RewardRules
{
    public static readonly RewardRules Default = new();

    /// <summary>Green uptime needed within the window (the caller measures it over <see cref="UptimeWindow"/>).</summary>
    public TimeSpan MinimumUptime { get; init; } = TimeSpan.FromHours(5);

    public TimeSpan UptimeWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How old the last verified proof of work may be at the block's end.</summary>
    public TimeSpan ProofValidity { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Stake per GPU (per device for a CPU) at a multiplier of 1 or below: 200 IO.</summary>
    public ulong StakePerUnit { get; init; } = 200 * EmissionSchedule.BaseUnitsPerIo;

    /// <summary>The GPU pool's share of a block, in percent (the CPU pool has the rest).</summary>
    public int GpuPoolPercent { get; init; } = 95;

    /// <summary>Connectivity weight by tier (Low, Medium, High, Ultra), in hundredths.</summary>
    public IReadOnlyList<int> ConnectivityWeights { get; init; } = [100, 110, 120, 130];

    /// <summary>Weight of a device that is hired at the block's end, in hundredths (an idle one weighs 100).</summary>
    public int HiredWeight { get; init; } = 150;
}
