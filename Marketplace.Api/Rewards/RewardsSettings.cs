namespace IoNet.Marketplace.Rewards;

/// <summary>Marketplace:Rewards — the reward-block service (docs/rewards.md, "The service").</summary>
public sealed class RewardsSettings
{
    public const string Section = "Marketplace:Rewards";

    /// <summary>Whether this replica runs the service (every replica may: one at a time works, under a PostgreSQL lock).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where block 0 starts (UTC). The emission schedule's month 1 is this instant's calendar month; block b spans
    /// [Genesis + b × BlockLength, Genesis + (b + 1) × BlockLength).
    /// </summary>
    public DateTimeOffset Genesis { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An hour in a deployment; seconds on localnet and in tests (the schedule counts blocks, not clock time).</summary>
    public TimeSpan BlockLength { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the service looks for a block to open, close or complete.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The first block the service may open; when unset, the block in progress when the service first runs (an empty
    /// store). Later the service always continues from the last block it stored, so none is skipped or repeated.
    /// </summary>
    public long? FirstBlock { get; set; }

    /// <summary>
    /// The last block this deployment runs (a test network, or a planned hand-over); when unset, blocks go on for ever
    /// (after the schedule's 240 months they emit 0).
    /// </summary>
    public long? LastBlock { get; set; }

    /// <summary>Blocks closed per pass at most, when catching up after downtime.</summary>
    public int MaxBlocksPerPass { get; set; } = 24;

    /// <summary>The block number at <paramref name="at"/> (negative before genesis).</summary>
    public long BlockAt(DateTimeOffset at)
    {
        var ticks = (at - Genesis).Ticks;
        var block = ticks / BlockLength.Ticks;
        return ticks % BlockLength.Ticks < 0 ? block - 1 : block;
    }

    public DateTimeOffset StartOf(long block) => Genesis + TimeSpan.FromTicks(checked(BlockLength.Ticks * block));

    public DateTimeOffset EndOf(long block) => StartOf(checked(block + 1));

    public void Validate()
    {
        if (BlockLength <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Section}:BlockLength must be positive.");
        if (PollInterval <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Section}:PollInterval must be positive.");
        if (LastBlock is { } last && last < (FirstBlock ?? 0))
            throw new InvalidOperationException($"{Section}:LastBlock is before FirstBlock.");
        if (MaxBlocksPerPass < 1)
            throw new InvalidOperationException($"{Section}:MaxBlocksPerPass must be at least 1.");
    }
}
