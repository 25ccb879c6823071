namespace IoNet.Suppliers.ProofOfWork;

/// <summary>The protocol's constants and bounds (docs/proof-of-work.md).</summary>
public static class ProofOfWorkLimits
{
    /// <summary>The prime modulus: 2^31 − 1.</summary>
    public const uint Prime = ModularProduct.P;

    /// <summary>Rows the server samples by default: a worker with a fraction f of correct rows passes with at most f^64.</summary>
    public const int DefaultK = 64;

    /// <summary>The largest matrix side: n² values still index a .NET array and i·n fits an int.</summary>
    public const int MaxN = 32_768;

    /// <summary>How long after a commitment the server waits for its rows (server clock).</summary>
    public static readonly TimeSpan OpeningWindow = TimeSpan.FromSeconds(60);

    public static void CheckN(int n)
    {
        if (n is < 1 or > MaxN)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be between 1 and {MaxN}.");
    }
}
