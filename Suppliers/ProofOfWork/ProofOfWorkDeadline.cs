namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The time a device is given to commit: twice the time its model needs at its expected rate of modular
/// multiply-adds, plus a fixed allowance for the round trip, the derivation of A and B and the hashing of C
/// (docs/proof-of-work.md, "Deadlines"). An honest device at its expected rate needs at most half of the compute part;
/// hardware slower than n³ / deadline cannot commit in time (<see cref="SlowestPassingRate"/>).
/// </summary>
public static class ProofOfWorkDeadline
{
    public const int Slack = 2;

    /// <summary>Round trip, derivation of A and B and hashing of C: well under a second even at n = 16384 on a 16-core host.</summary>
    public static readonly TimeSpan Allowance = TimeSpan.FromSeconds(3);

    /// <summary>The time limit for an n × n challenge on hardware expected to do <paramref name="gigaMacsPerSecond"/> × 10^9 modular multiply-adds per second.</summary>
    public static TimeSpan For(int n, long gigaMacsPerSecond)
    {
        ProofOfWorkLimits.CheckN(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gigaMacsPerSecond);
        var macs = (decimal)n * n * n;
        var seconds = Math.Ceiling(Slack * macs / (gigaMacsPerSecond * 1_000_000_000m));
        return TimeSpan.FromSeconds((double)seconds) + Allowance;
    }

    /// <summary>The lowest rate (10^9 multiply-adds per second) at which the whole deadline suffices for the n³ products alone.</summary>
    public static decimal SlowestPassingRate(int n, TimeSpan deadline) => (decimal)n * n * n / (decimal)deadline.TotalSeconds / 1_000_000_000m;
}
