namespace IoNet.Suppliers.Rewards;

/// <summary>
/// A nominated device's weight within its pool: connectivity weight × hardware multiplier × units × hired weight, each
/// factor in hundredths (so the score is 10^6 times the product of the factors), an exact integer.
/// </summary>
public static class RewardScore
{
    public static ulong Of(RewardCandidate device, RewardRules rules) =>
        checked((ulong)rules.ConnectivityWeights[device.ConnectivityTier - 1]
                * (ulong)device.HardwareMultiplierHundredths
                * (ulong)device.Units
                * (ulong)(device.Hired ? rules.HiredWeight : 100));
}
