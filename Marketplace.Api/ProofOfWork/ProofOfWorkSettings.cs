namespace IoNet.Marketplace.ProofOfWork;

/// <summary>Marketplace:ProofOfWork: the challenge protocol's knobs (docs/proof-of-work.md).</summary>
public sealed class ProofOfWorkSettings
{
    public const string Section = "Marketplace:ProofOfWork";

    /// <summary>Decide eligibility by proof of work (<see cref="ProofOfWorkEligibility"/>) instead of the operator's mark.</summary>
    public bool DecidesEligibility { get; set; }

    /// <summary>Rows the server samples.</summary>
    public int K { get; set; } = Suppliers.ProofOfWork.ProofOfWorkLimits.DefaultK;

    /// <summary>A matrix side for every device instead of the catalogue's (localnet and tests, whose CPUs solve small ones).</summary>
    public int? N { get; set; }

    /// <summary>A time limit for every challenge instead of the per-model deadline.</summary>
    public TimeSpan? TimeLimit { get; set; }

    /// <summary>How long a verified proof keeps a device eligible.</summary>
    public TimeSpan ProofValidity { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Mean time between challenges sent at random to each hired device (HiredChallenges; exponential gaps). Null: none
    /// are sent (the default until workers fetch their open challenges, GET /api/proof-of-work/devices/{id}/challenges).
    /// </summary>
    public TimeSpan? HiredChallengeMeanInterval { get; set; }

    /// <summary>How often hired devices are considered for a random challenge, and missed deadlines and failures acted on.</summary>
    public TimeSpan HiredChallengeTick { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest opening body: k rows of n values in base64 with their proofs (about 5.6 MB at n = 16384, k = 64).</summary>
    public long MaxOpeningBytes { get; set; } = 8 * 1024 * 1024;
}
