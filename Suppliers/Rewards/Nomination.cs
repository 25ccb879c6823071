namespace IoNet.Suppliers.Rewards;

/// <summary>Whether a device is nominated for a block, and every reason why not.</summary>
public sealed record NominationResult(bool IsNominated, IReadOnlyList<string> Reasons);

/// <summary>
/// Nomination (docs/rewards.md): at least 5 h of green uptime in the window, a proof of work verified within a day of
/// the block's end, a stake of at least 200 IO × max(1, hardware multiplier) per GPU, not Blocked or Unsupported, and a
/// hardware multiplier above 0 (io.net's "no longer supported" hardware has 0).
/// </summary>
public static class Nomination
{
    public static NominationResult Evaluate(RewardCandidate device, DateTimeOffset blockEnd, RewardRules rules)
    {
        var reasons = new List<string>();
        if (device.BlockedOrUnsupported)
            reasons.Add("blocked or unsupported");
        if (device.HardwareMultiplierHundredths <= 0)
            reasons.Add("its hardware earns no rewards (multiplier 0)");
        if (device.Units <= 0)
            reasons.Add("no GPU or CPU units");
        if (device.ConnectivityTier < 1 || device.ConnectivityTier > rules.ConnectivityWeights.Count)
            reasons.Add($"unknown connectivity tier {device.ConnectivityTier}");
        if (device.GreenUptime < rules.MinimumUptime)
            reasons.Add($"{device.GreenUptime.TotalHours:0.##} h green uptime in the last {rules.UptimeWindow.TotalHours:0.##} h, {rules.MinimumUptime.TotalHours:0.##} h needed");
        if (device.ProofVerifiedAt is not { } proof)
            reasons.Add("no verified proof of work");
        else if (proof < blockEnd - rules.ProofValidity || proof > blockEnd)
            reasons.Add($"no proof of work verified in the {rules.ProofValidity.TotalHours:0.##} h before the block's end");
        if (device.Units > 0 && device.Stake < RequiredStake(device, rules))
            reasons.Add($"stake {device.Stake} below the {RequiredStake(device, rules)} base units required");
        return new NominationResult(reasons.Count == 0, reasons);
    }

    /// <summary>200 IO × max(1, multiplier) × units, in base units: StakePerUnit × max(100, multiplier in hundredths) / 100 × units.</summary>
    public static ulong RequiredStake(RewardCandidate device, RewardRules rules) =>
        RequiredStake(device.HardwareMultiplierHundredths, device.Units, rules);

    /// <summary>The same from the multiplier (in hundredths) and the unit count (GPUs, 1 for a CPU-only device).</summary>
    public static ulong RequiredStake(int hardwareMultiplierHundredths, int units, RewardRules rules) =>
        checked((ulong)((UInt128)rules.StakePerUnit * (ulong)Math.Max(100, hardwareMultiplierHundredths) / 100) * (ulong)Math.Max(1, units));
}
