using System.Security.Cryptography;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// What the server sends a device: derive A and B (n × n) from <see cref="Seed"/>, commit to C = A·B mod p before
/// <see cref="Deadline"/> (the server's clock), then open the k rows that the server's salt selects.
/// <see cref="SampleCommitment"/> is SHA-256 of that salt, which the server keeps until the commitment arrives: the
/// device can check afterwards that the rows were fixed before it answered, and cannot search for a root whose
/// sampled rows it happened to compute (docs/proof-of-work.md, "Why a salt").
/// </summary>
public sealed record ProofOfWorkChallenge(
    Guid Id, Guid Device, Bytes32 Seed, int N, int K, Bytes32 SampleCommitment, DateTimeOffset IssuedAt, DateTimeOffset Deadline)
{
    /// <summary>A fresh challenge from the caller's randomness (seed and salt); the salt stays with the server.</summary>
    public static ProofOfWorkChallenge Issue(
        Guid id, Guid device, int n, int k, Bytes32 seed, Bytes32 salt, DateTimeOffset now, TimeSpan timeLimit)
    {
        ProofOfWorkLimits.CheckN(n);
        if (k < 1 || k > n)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and n = {n}.");
        if (timeLimit <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeLimit), timeLimit, "The time limit must be positive.");
        return new ProofOfWorkChallenge(id, device, seed, n, k, Bytes32.Sha256(salt.Bytes), now, now + timeLimit);
    }

    /// <summary><see cref="Issue"/> with a random seed and salt from the operating system's generator.</summary>
    public static (ProofOfWorkChallenge Challenge, Bytes32 Salt) IssueRandom(Guid device, int n, int k, DateTimeOffset now, TimeSpan timeLimit)
    {
        var salt = new Bytes32(RandomNumberGenerator.GetBytes(Bytes32.Length));
        var seed = new Bytes32(RandomNumberGenerator.GetBytes(Bytes32.Length));
        return (Issue(Guid.CreateVersion7(now), device, n, k, seed, salt, now, timeLimit), salt);
    }

    /// <summary>Whether <paramref name="salt"/> is the one this challenge committed to.</summary>
    public bool IsSaltOf(Bytes32 salt) => Bytes32.Sha256(salt.Bytes) == SampleCommitment;
}
