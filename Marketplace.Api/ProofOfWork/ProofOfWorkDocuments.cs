using Marten.Schema;

namespace IoNet.Marketplace.ProofOfWork;

/// <summary>
/// One challenge as the server keeps it (document id: the challenge id as 32 hex digits). The salt never leaves the
/// server before a commitment is accepted. Optimistic concurrency: of two answers racing, one is stored, the other is
/// a replay.
/// </summary>
[UseOptimisticConcurrency]
public sealed class ProofOfWorkChallengeRecord
{
    public string Id { get; set; } = "";
    public Guid Challenge { get; set; }
    public Guid Device { get; set; }
    public string DeviceKey { get; set; } = "";
    public string Seed { get; set; } = "";
    public string Salt { get; set; } = "";
    public string SampleCommitment { get; set; } = "";
    public int N { get; set; }
    public int K { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset Deadline { get; set; }

    /// <summary>n³ at the model's expected rate (proof-of-work-rates.json), in seconds: what an honest device of that model needs.</summary>
    public double ExpectedComputeSeconds { get; set; }
    public DateTimeOffset? CommittedAt { get; set; }
    public string? Root { get; set; }
    public ulong? ElapsedMilliseconds { get; set; }
    public string? Signature { get; set; }

    /// <summary>"Verified", or the failure's name; null while the exchange is open.</summary>
    public string? Outcome { get; set; }

    public string? Detail { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Sent at random to a hired device (HiredChallenges): failing it, or missing its deadline, makes the device Failed.</summary>
    public bool WhileHired { get; set; }

    /// <summary>When a failed challenge sent while hired made its device Failed (null: not yet, or it did not fail).</summary>
    public DateTimeOffset? PunishedAt { get; set; }

    public static string Key(Guid challenge) => challenge.ToString("N");
}

/// <summary>A device's proof-of-work standing (document id: the device id as 32 hex digits): its key and last outcomes.</summary>
public sealed class DeviceProofOfWork
{
    public string Id { get; set; } = "";
    public Guid Device { get; set; }

    /// <summary>The ed25519 public key (base58) that signs the device's commitments; set by the owner.</summary>
    public string? DeviceKey { get; set; }

    public DateTimeOffset? LastVerifiedAt { get; set; }
    public Guid? LastChallenge { get; set; }
    public string? LastOutcome { get; set; }
    public string? LastDetail { get; set; }
    public DateTimeOffset? LastOutcomeAt { get; set; }
    public int Verified { get; set; }
    public int Failed { get; set; }

    /// <summary>Issue to commitment of the last verified proof, on the server's clock.</summary>
    public double? LastSolveSeconds { get; set; }

    /// <summary>The last verified proof took longer than its model's expected compute plus the allowance: the GPU is slower than declared.</summary>
    public bool SlowerThanModel { get; set; }

    public string? SlowDetail { get; set; }

    /// <summary>What buyers and the explorer are shown (docs/proof-of-work.md, "Anomalies").</summary>
    public IReadOnlyList<string> Anomalies()
    {
        var anomalies = new List<string>();
        if (Failed > 0)
            anomalies.Add($"{Failed} failed proof{(Failed == 1 ? "" : "s")} of work (last outcome: {LastOutcome})");
        if (SlowerThanModel && SlowDetail is not null)
            anomalies.Add(SlowDetail);
        return anomalies;
    }

    public static string Key(Guid device) => device.ToString("N");
}
