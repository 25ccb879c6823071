using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

public sealed class ProofOfWorkVerifierTests
{
    private const int N = 96;
    private const int K = 16;

    private static readonly ProofOfWorkExchange Exchange = new(N, K, 1, ProofOfWorkExchange.Key(1));

    private static (ProofOfWorkAnswer Answer, ProofOfWorkCommitment Commitment, ProofOfWorkOpening Opening) Honest(ProofOfWorkExchange exchange)
    {
        var (answer, commitment) = ProofOfWorkAnswer.Solve(exchange.Challenge, new CpuMatrixSolver(), exchange.Device);
        return (answer, commitment, answer.Open(exchange.Challenge, exchange.Salt));
    }

    [Fact]
    public void an_honest_solve_verifies()
    {
        var (_, commitment, opening) = Honest(Exchange);

        var outcome = Exchange.Verify(commitment, opening);

        outcome.ShouldBe(ProofOfWorkOutcome.Verified);
        opening.Rows.Count.ShouldBe(K);
    }

    [Fact]
    public void the_ilgpu_solver_s_answer_verifies()
    {
        using var solver = IoNet.Suppliers.Gpu.IlgpuMatrixSolver.CreateForCpuAccelerator();
        var exchange = new ProofOfWorkExchange(32, 8, 2, ProofOfWorkExchange.Key(1));
        var (answer, commitment) = ProofOfWorkAnswer.Solve(exchange.Challenge, solver, exchange.Device, TestContext.Current.CancellationToken);

        exchange.Verify(commitment, answer.Open(exchange.Challenge, exchange.Salt)).IsVerified.ShouldBeTrue();
    }

    [Fact]
    public void a_wrong_product_correctly_committed_fails_as_a_wrong_answer()
    {
        var wrong = Exchange.HonestProduct().Values.Select(v => (v + 1) % ProofOfWorkLimits.Prime).ToArray();
        var answer = ProofOfWorkAnswer.Prepare(new ProductMatrix(N, wrong));
        var commitment = answer.Commit(Exchange.Challenge.Id, 1234, Exchange.Device);

        var outcome = Exchange.Verify(commitment, answer.Open(Exchange.Challenge, Exchange.Salt));

        outcome.Failure.ShouldBe(ProofOfWorkFailure.WrongAnswer);
        outcome.Detail.ShouldContain($"{K} of {K} sampled rows");
    }

    [Fact]
    public void a_changed_merkle_proof_fails_as_a_bad_proof()
    {
        var (_, commitment, opening) = Honest(Exchange);
        var rows = opening.Rows.ToArray();
        var proof = rows[3].Proof.ToArray();
        proof[0] = Bytes32.Sha256([1]);
        rows[3] = rows[3] with { Proof = proof };

        var outcome = Exchange.Verify(commitment, opening with { Rows = rows });

        outcome.Failure.ShouldBe(ProofOfWorkFailure.BadProof);
        outcome.Detail.ShouldContain($"Merkle proof of row {rows[3].Index}");
    }

    [Fact]
    public void rows_that_are_not_the_committed_ones_fail_as_a_bad_proof()
    {
        var (answer, commitment, opening) = Honest(Exchange);
        var changedValue = opening with { Rows = [.. opening.Rows.Select((r, i) => i == 0 ? r with { Values = [.. r.Values.Select(v => v ^ 1)] } : r)] };
        var otherRows = answer.Open(Exchange.Challenge.Id, [.. Enumerable.Range(0, K)]);
        var tooFew = opening with { Rows = opening.Rows.Take(K - 1).ToArray() };

        Exchange.Verify(commitment, changedValue).Failure.ShouldBe(ProofOfWorkFailure.BadProof);
        Exchange.Verify(commitment, otherRows).Failure.ShouldBe(ProofOfWorkFailure.BadProof);
        Exchange.Verify(commitment, tooFew).Failure.ShouldBe(ProofOfWorkFailure.BadProof);
    }

    [Fact]
    public void a_commitment_signed_with_another_key_fails_as_a_bad_signature()
    {
        var (answer, _, opening) = Honest(Exchange);
        var forged = answer.Commit(Exchange.Challenge.Id, 1234, ProofOfWorkExchange.Key(2));

        var outcome = Exchange.Verify(forged, opening);

        outcome.Failure.ShouldBe(ProofOfWorkFailure.BadSignature);
    }

    [Fact]
    public void a_signed_commitment_whose_root_or_time_was_changed_fails_as_a_bad_signature()
    {
        var (_, commitment, opening) = Honest(Exchange);

        Exchange.Verify(commitment with { Root = Bytes32.Sha256([2]) }, opening).Failure.ShouldBe(ProofOfWorkFailure.BadSignature);
        Exchange.Verify(commitment with { ElapsedMilliseconds = commitment.ElapsedMilliseconds + 1 }, opening).Failure.ShouldBe(ProofOfWorkFailure.BadSignature);
    }

    [Fact]
    public void an_old_proof_replayed_for_a_new_challenge_fails_as_a_replay()
    {
        var (_, oldCommitment, oldOpening) = Honest(Exchange);
        var next = new ProofOfWorkExchange(N, K, 1, Exchange.Device, id: Guid.Parse("00000000-0000-7000-8000-0000000000ff"));

        var outcome = next.Verify(oldCommitment, oldOpening);

        outcome.Failure.ShouldBe(ProofOfWorkFailure.Replay);
        outcome.Detail.ShouldContain(Exchange.Challenge.Id.ToString("N"));
    }

    [Fact]
    public void a_second_answer_to_an_answered_challenge_fails_as_a_replay()
    {
        var (_, commitment, opening) = Honest(Exchange);

        Exchange.Verify(commitment, opening, alreadyAnswered: true).Failure.ShouldBe(ProofOfWorkFailure.Replay);
    }

    [Fact]
    public void a_commitment_after_the_deadline_fails_as_a_timeout()
    {
        var (_, commitment, opening) = Honest(Exchange);
        var late = Exchange.Challenge.Deadline + TimeSpan.FromMilliseconds(1);

        var outcome = Exchange.Verify(commitment, opening, committedAt: late, openedAt: late + TimeSpan.FromSeconds(1));

        outcome.Failure.ShouldBe(ProofOfWorkFailure.Timeout);
        Exchange.Verify(commitment, opening, committedAt: Exchange.Challenge.Deadline, openedAt: Exchange.Challenge.Deadline).IsVerified.ShouldBeTrue();
    }

    [Fact]
    public void rows_sent_after_the_opening_window_fail_as_a_timeout()
    {
        var (_, commitment, opening) = Honest(Exchange);

        var outcome = Exchange.Verify(commitment, opening, openedAt: Exchange.CommittedAt + ProofOfWorkLimits.OpeningWindow + TimeSpan.FromMilliseconds(1));

        outcome.Failure.ShouldBe(ProofOfWorkFailure.Timeout);
    }

    [Fact]
    public void the_device_refuses_to_open_rows_for_a_salt_the_challenge_did_not_commit_to()
    {
        var (answer, _, _) = Honest(Exchange);

        Should.Throw<InvalidOperationException>(() => answer.Open(Exchange.Challenge, Bytes32.Sha256([3])));
    }
}
