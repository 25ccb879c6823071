using System.ComponentModel.DataAnnotations;

namespace IoNet.Marketplace.ProofOfWork;

public sealed record SetDeviceKeyRequest
{
    /// <summary>The device's ed25519 public key, base58 (the Worker's device keypair).</summary>
    [Required, StringLength(44, MinimumLength = 32)]
    public string? PublicKey { get; init; }
}

/// <summary>What the device must answer: derive A and B from <see cref="Seed"/>, commit to A·B mod p before <see cref="Deadline"/>.</summary>
public sealed record ChallengeView(
    Guid Id, Guid Device, string Seed, int N, int K, string SampleCommitment, DateTimeOffset IssuedAt, DateTimeOffset Deadline);

public sealed record CommitmentRequest
{
    /// <summary>The challenge the device signed for (a replayed commitment names an older one).</summary>
    [Required]
    public Guid? Challenge { get; init; }

    /// <summary>The Merkle root of C's rows, 64 hex digits.</summary>
    [Required, RegularExpression("^[0-9a-fA-F]{64}$", ErrorMessage = "The Root field must be 64 hex digits.")]
    public string? Root { get; init; }

    [Required, Range(0, long.MaxValue)]
    public long? ElapsedMilliseconds { get; init; }

    /// <summary>The device key's ed25519 signature (base58) of the 76-byte commitment message.</summary>
    [Required, StringLength(88, MinimumLength = 64)]
    public string? Signature { get; init; }
}

/// <summary>The salt whose hash the challenge carried: it selects the rows to open.</summary>
public sealed record CommitmentAccepted(Guid Challenge, string Salt, int[] Rows);

public sealed record OpenedRowRequest
{
    [Required, Range(0, Suppliers.ProofOfWork.ProofOfWorkLimits.MaxN - 1)]
    public int? Index { get; init; }

    /// <summary>The row's n values as little-endian u32s, base64.</summary>
    [Required]
    public string? Values { get; init; }

    /// <summary>Sibling hashes from the leaf up, 64 hex digits each.</summary>
    [Required]
    public string[]? Proof { get; init; }
}

public sealed record OpeningRequest
{
    [Required]
    public Guid? Challenge { get; init; }

    [Required]
    public OpenedRowRequest[]? Rows { get; init; }
}

/// <summary>"Verified", or the failure (WrongAnswer, Timeout, BadProof, BadSignature, Replay) with a detail.</summary>
public sealed record OutcomeView(Guid Challenge, Guid Device, string Outcome, string Detail, DateTimeOffset At);

public sealed record DeviceProofOfWorkView(
    Guid Device, string? DeviceKey, DateTimeOffset? LastVerifiedAt, Guid? LastChallenge, string? LastOutcome, string? LastDetail, int Verified, int Failed,
    double? LastSolveSeconds, IReadOnlyList<string> Anomalies)
{
    public static DeviceProofOfWorkView Of(Guid device, DeviceProofOfWork? d) =>
        new(device, d?.DeviceKey, d?.LastVerifiedAt, d?.LastChallenge, d?.LastOutcome, d?.LastDetail, d?.Verified ?? 0, d?.Failed ?? 0,
            d?.LastSolveSeconds, d?.Anomalies() ?? []);
}
