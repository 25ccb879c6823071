namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The time a device is given to commit: twice the time its model needs at its expected rate of modular
/// multiply-adds, plus a fixed allowance for the round trip, the derivation of A and B and the hashing of C
/// (docs/proof-of-work.md, "Deadlines"). An honest device at its expected rate uses at most half of the compute part;
/// hardware at less than half that rate cannot finish.
/// </summary>
public static class ProofOfWorkDeadline
{
    public const int Slack = 2;

    public static readonly TimeSpan Allowance = TimeSpan.FromSeconds(10);

    /// <summary>The time limit for an n × n challenge on hardware expected to do <paramref name="gigaMacsPerSecond"/> × 10^9 modular multiply-adds per second.</summary>
    public static TimeSpan For(int n, long gigaMacsPerSecond)
    {
        ProofOfWorkLimits.CheckN(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gigaMacsPerSecond);
        var macs = (decimal)n * n * n;
        var seconds = Math.Ceiling(Slack * macs / (gigaMacsPerSecond * 1_000_000_000m));
        return TimeSpan.FromSeconds((double)seconds) + Allowance;
    }
}
