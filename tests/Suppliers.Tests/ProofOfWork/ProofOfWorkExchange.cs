using IoNet.Solana.Keys;
using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

/// <summary>One challenge between a server and a device, with fixed seeds and times so that every run is the same.</summary>
internal sealed class ProofOfWorkExchange
{
    public static readonly DateTimeOffset IssuedAt = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    public ProofOfWorkExchange(int n, int k, byte seed, Keypair device, Guid? id = null)
    {
        Device = device;
        Salt = Reference.Seed((byte)(seed + 100));
        Challenge = ProofOfWorkChallenge.Issue(
            id ?? new Guid($"00000000-0000-7000-8000-{seed:x12}"), new Guid("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
            n, k, Reference.Seed(seed), Salt, IssuedAt, TimeLimit);
    }

    public Keypair Device { get; }
    public Bytes32 Salt { get; }
    public ProofOfWorkChallenge Challenge { get; }

    public DateTimeOffset CommittedAt => IssuedAt + TimeSpan.FromSeconds(10);
    public DateTimeOffset OpenedAt => CommittedAt + TimeSpan.FromSeconds(1);

    public static Keypair Key(byte b) => Keypair.FromSeed([.. Enumerable.Repeat(b, 32)]);

    public ProductMatrix HonestProduct() => new CpuMatrixSolver().Multiply(Challenge.Seed, Challenge.N);

    public ProofOfWorkOutcome Verify(
        ProofOfWorkCommitment commitment, ProofOfWorkOpening opening, bool alreadyAnswered = false,
        DateTimeOffset? committedAt = null, DateTimeOffset? openedAt = null) =>
        ProofOfWorkVerifier.Verify(
            Challenge, Salt, alreadyAnswered, Device.PublicKey, commitment, committedAt ?? CommittedAt, opening, openedAt ?? OpenedAt);
}
