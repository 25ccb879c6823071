using IoNet.Solana.Keys;

namespace IoNet.Suppliers.Rewards;

/// <summary>The reward pool a device earns from: GPUs share 95% of a block, CPU-only devices 5%.</summary>
public enum RewardPool
{
    Gpu = 1,
    Cpu = 2,
}

/// <summary>
/// What a reward block needs to know about one device, gathered by the caller at the block's end.
/// <paramref name="Units"/>: its GPUs (1 for a CPU-only device). <paramref name="HardwareMultiplierHundredths"/>: the
/// catalogue's hardware multiplier × 100 (13.94 → 1394). <paramref name="ConnectivityTier"/>: the Ledger's
/// ConnectivityTier number (1 Low, 2 Medium, 3 High, 4 Ultra). <paramref name="GreenUptime"/>: its green uptime within
/// the nomination window. <paramref name="ProofVerifiedAt"/>: when its last proof of work was verified.
/// <paramref name="Stake"/>: IO base units staked for it. <paramref name="BlockedOrUnsupported"/>: its status is Blocked or Unsupported.
/// </summary>
public sealed record RewardCandidate(
    Guid Device, PublicKey Worker, RewardPool Pool, int Units, int HardwareMultiplierHundredths, int ConnectivityTier, bool Hired,
    TimeSpan GreenUptime, DateTimeOffset? ProofVerifiedAt, ulong Stake, bool BlockedOrUnsupported);
