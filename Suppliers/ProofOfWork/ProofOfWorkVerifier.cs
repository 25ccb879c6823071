using IoNet.Solana.Keys;
using IoNet.Suppliers.Merkle;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The server's checks, pure: every time is passed in (<c>receivedAt</c>, the server's clock), every state too
/// (<c>alreadyAnswered</c>: a commitment for this challenge was accepted before). Cheap checks first; the
/// recomputation of the k sampled rows, O(k·n²), last.
/// </summary>
public static class ProofOfWorkVerifier
{
    /// <summary>Step 1, when the commitment arrives: null if accepted (then reveal the salt), else why not.</summary>
    public static ProofOfWorkOutcome? CheckCommitment(
        ProofOfWorkChallenge challenge, bool alreadyAnswered, ProofOfWorkCommitment commitment, PublicKey deviceKey, DateTimeOffset receivedAt)
    {
        if (commitment.Challenge != challenge.Id)
            return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.Replay,
                $"the commitment answers challenge {commitment.Challenge:N}, not {challenge.Id:N}");
        if (alreadyAnswered)
            return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.Replay, $"challenge {challenge.Id:N} was already answered");
        if (receivedAt > challenge.Deadline)
            return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.Timeout,
                $"the commitment arrived {(receivedAt - challenge.Deadline).TotalMilliseconds:F0} ms after the deadline");
        if (!commitment.IsSignedBy(deviceKey))
            return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.BadSignature, $"the commitment is not signed by the device key {deviceKey}");
        return null;
    }

    /// <summary>Step 2, when the rows arrive (after the salt was revealed): Verified, or why not.</summary>
    public static ProofOfWorkOutcome CheckOpening(
        ProofOfWorkChallenge challenge, Bytes32 salt, ProofOfWorkCommitment commitment, DateTimeOffset commitmentReceivedAt,
        ProofOfWorkOpening opening, DateTimeOffset receivedAt)
    {
        if (!challenge.IsSaltOf(salt))
            throw new ArgumentException($"This salt is not the one challenge {challenge.Id:N} committed to.", nameof(salt));
        if (opening.Challenge != challenge.Id)
            return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.BadProof, $"the rows are for challenge {opening.Challenge:N}, not {challenge.Id:N}");
        if (receivedAt > commitmentReceivedAt + ProofOfWorkLimits.OpeningWindow)
            return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.Timeout,
                $"the rows arrived {(receivedAt - commitmentReceivedAt).TotalSeconds:F0} s after the commitment (window {ProofOfWorkLimits.OpeningWindow.TotalSeconds:F0} s)");

        var n = challenge.N;
        var indices = RowSampling.Indices(challenge.Id, commitment.Root, salt, n, challenge.K);
        if (opening.Rows.Count != indices.Length)
            return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.BadProof, $"{opening.Rows.Count} rows opened, {indices.Length} asked");
        for (var s = 0; s < indices.Length; s++)
        {
            var row = opening.Rows[s];
            if (row.Index != indices[s])
                return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.BadProof, $"opened row {s} is row {row.Index}, row {indices[s]} was asked");
            if (row.Values.Length != n)
                return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.BadProof, $"row {row.Index} has {row.Values.Length} values, not {n}");
            if (!MerkleTree.Verify(OpenedRow.LeafHash(row.Index, row.Values), row.Index, n, row.Proof, commitment.Root))
                return ProofOfWorkOutcome.Failed(ProofOfWorkFailure.BadProof, $"the Merkle proof of row {row.Index} does not lead to the committed root");
        }

        var expected = ExpectedRows(challenge.Seed, n, indices);
        var wrong = Enumerable.Range(0, indices.Length).Where(s => !expected.AsSpan(s * n, n).SequenceEqual(opening.Rows[s].Values)).ToList();
        return wrong.Count == 0
            ? ProofOfWorkOutcome.Verified
            : ProofOfWorkOutcome.Failed(ProofOfWorkFailure.WrongAnswer,
                $"{wrong.Count} of {indices.Length} sampled rows are not rows of A·B mod p (first: row {indices[wrong[0]]})");
    }

    /// <summary>Both steps, for a whole exchange whose messages are all at hand.</summary>
    public static ProofOfWorkOutcome Verify(
        ProofOfWorkChallenge challenge, Bytes32 salt, bool alreadyAnswered, PublicKey deviceKey,
        ProofOfWorkCommitment commitment, DateTimeOffset commitmentReceivedAt, ProofOfWorkOpening opening, DateTimeOffset openingReceivedAt) =>
        CheckCommitment(challenge, alreadyAnswered, commitment, deviceKey, commitmentReceivedAt)
        ?? CheckOpening(challenge, salt, commitment, commitmentReceivedAt, opening, openingReceivedAt);

    /// <summary>
    /// Rows <paramref name="indices"/> of A·B mod p, k × n row-major: the k rows of A, then B derived 256 rows at a
    /// time and folded in, so memory stays O((k + 256)·n) and B is never held whole.
    /// </summary>
    public static uint[] ExpectedRows(Bytes32 seed, int n, IReadOnlyList<int> indices)
    {
        var key = ChaCha20.Key(seed.Bytes);
        var k = indices.Count;
        var a = new uint[k * n];
        for (var s = 0; s < k; s++)
            ProofOfWorkMatrices.DeriveRow(key, ProofOfWorkMatrices.MatrixA, (uint)indices[s], a.AsSpan(s * n, n));
        var c = new uint[k * n];
        var block = new uint[Math.Min(CpuMatrixSolver.KBlock, n) * n];
        for (var k0 = 0; k0 < n; k0 += CpuMatrixSolver.KBlock)
        {
            var kc = Math.Min(CpuMatrixSolver.KBlock, n - k0);
            for (var r = 0; r < kc; r++)
                ProofOfWorkMatrices.DeriveRow(key, ProofOfWorkMatrices.MatrixB, (uint)(k0 + r), block.AsSpan(r * n, n));
            ModularProduct.Accumulate(a, block.AsSpan(0, kc * n), c, n, 0, k, k0, kc);
        }
        return c;
    }
}
