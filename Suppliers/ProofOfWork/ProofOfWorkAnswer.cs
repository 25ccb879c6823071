using System.Diagnostics;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Merkle;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The worker's side of a challenge after solving it: C, the Merkle tree over its rows (leaves hashed on all cores),
/// the signed commitment, and the rows the server's salt selects.
/// </summary>
public sealed class ProofOfWorkAnswer
{
    private ProofOfWorkAnswer(ProductMatrix product, MerkleTree tree)
    {
        Product = product;
        Tree = tree;
    }

    public ProductMatrix Product { get; }

    public MerkleTree Tree { get; }

    public Bytes32 Root => Tree.Root;

    /// <summary>Commits to <paramref name="product"/> as it is (a test may hand in a doctored one).</summary>
    public static ProofOfWorkAnswer Prepare(ProductMatrix product)
    {
        var leaves = new Bytes32[product.N];
        Parallel.For(0, product.N, i => leaves[i] = OpenedRow.LeafHash(i, product.Row(i)));
        return new ProofOfWorkAnswer(product, new MerkleTree(leaves));
    }

    /// <summary>Solves, commits and signs, measuring the elapsed time from the call (informational for the server).</summary>
    public static (ProofOfWorkAnswer Answer, ProofOfWorkCommitment Commitment) Solve(
        ProofOfWorkChallenge challenge, IMatrixProductSolver solver, Keypair deviceKey, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var answer = Prepare(solver.Multiply(challenge.Seed, challenge.N, cancellationToken));
        return (answer, answer.Commit(challenge.Id, (ulong)clock.ElapsedMilliseconds, deviceKey));
    }

    public ProofOfWorkCommitment Commit(Guid challenge, ulong elapsedMilliseconds, Keypair deviceKey) =>
        ProofOfWorkCommitment.Sign(challenge, Root, elapsedMilliseconds, deviceKey);

    /// <summary>The rows the revealed salt selects; refuses a salt that is not the one the challenge committed to.</summary>
    public ProofOfWorkOpening Open(ProofOfWorkChallenge challenge, Bytes32 salt)
    {
        if (!challenge.IsSaltOf(salt))
            throw new InvalidOperationException($"The salt revealed for challenge {challenge.Id:N} does not match its sample commitment.");
        return Open(challenge.Id, RowSampling.Indices(challenge.Id, Root, salt, challenge.N, challenge.K));
    }

    public ProofOfWorkOpening Open(Guid challenge, IReadOnlyList<int> indices) =>
        new(challenge, [.. indices.Select(i => new OpenedRow(i, Product.Row(i).ToArray(), Tree.ProofFor(i)))]);
}
