using IoNet.Suppliers.Rewards;

namespace IoNet.Suppliers.Tests.Rewards;

/// <summary>Given the block's events, when a command, then these events (or a refusal).</summary>
public sealed class RewardBlockTests
{
    private const ulong Io = EmissionSchedule.BaseUnitsPerIo;
    private static readonly EmissionSchedule Schedule = new(2026, 1);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(1);

    private static RewardCandidate Gpu(string id, int units, bool nominated = true) => new(
        Guid.Parse(id), ProofOfWork.ProofOfWorkExchange.Key((byte)units).PublicKey, RewardPool.Gpu, units, 1394, 4, false,
        TimeSpan.FromHours(6), End - TimeSpan.FromHours(1), nominated ? 22_304 * Io : 0, false);

    private static readonly RewardCandidate A = Gpu("10000000-0000-7000-8000-000000000000", 8);
    private static readonly RewardCandidate B = Gpu("20000000-0000-7000-8000-000000000000", 1);
    private static readonly RewardCandidate C = Gpu("30000000-0000-7000-8000-000000000000", 2, nominated: false);

    private static RewardBlock Given(params object[] events) => RewardBlock.Replay(events)!;

    private static RewardBlock Apply(RewardBlock? state, RewardBlockDecision decision)
    {
        decision.Rejection.ShouldBeNull();
        return decision.Events.Aggregate(state, RewardBlock.After)!;
    }

    private static RewardBlock Opened(ulong carriedIn = 0) =>
        Apply(null, RewardBlock.Open(null, 5, Schedule, carriedIn, Start, End, Start));

    private static RewardBlock Closed() => Apply(Opened(7), RewardBlock.Close(Opened(7), [A, B, C], End));

    [Fact]
    public void a_block_opens_in_progress_with_its_hours_emission_and_the_carry()
    {
        var decision = RewardBlock.Open(null, 5, Schedule, 7, Start, End, Start);

        decision.Events.ShouldBe([new RewardBlockOpened(5, Start, End, 448_028_673_835, 7, Start)]);
        Apply(null, decision).Status.ShouldBe(RewardBlockStatus.InProgress);
        RewardBlock.Open(Opened(), 5, Schedule, 0, Start, End, Start).Rejection.ShouldNotBeNull();
    }

    [Fact]
    public void closing_splits_emission_and_carry_among_the_nominated_and_only_after_the_hour()
    {
        RewardBlock.Close(Opened(7), [A, B, C], End - TimeSpan.FromSeconds(1)).Rejection!.ShouldContain("ends at");

        var closed = Closed();

        closed.Status.ShouldBe(RewardBlockStatus.Processing);
        closed.Nominated.Select(p => p.Device).ShouldBe([A.Device, B.Device]);
        closed.Nominated.Aggregate(0UL, (s, p) => s + p.Amount).ShouldBe(448_028_673_835UL + 7);
        closed.NotNominated.ShouldHaveSingleItem().Device.ShouldBe(C.Device);
        RewardBlock.Close(closed, [A], End).Rejection.ShouldNotBeNull();
    }

    [Fact]
    public void the_root_is_committed_after_every_payout_settles_over_the_paid_ones_and_failures_are_carried_out()
    {
        var closed = Closed();
        var paidToA = closed.Nominated[0].Amount;
        var state = Apply(closed, RewardBlock.Succeed(closed, A.Device, "sigA", End));
        RewardBlock.CommitRoot(state, "00", "sigRoot", End).Rejection!.ShouldContain("unsettled");
        state = Apply(state, RewardBlock.Fail(state, B.Device, "worker's account is frozen", End));

        var commitment = state.Commitment().ShouldNotBeNull();
        commitment.Count.ShouldBe(1);
        commitment.Total.ShouldBe(paidToA);
        RewardBlock.CommitRoot(state, new string('0', 64), "sigRoot", End).Rejection!.ShouldContain("is not block 5's");
        var decision = RewardBlock.CommitRoot(state, commitment.Root.ToHex(), "sigRoot", End);
        var done = Apply(state, decision);

        decision.Events.Last().ShouldBe(new RewardBlockCompleted(5, paidToA, 448_028_673_835UL + 7 - paidToA, End));
        done.Status.ShouldBe(RewardBlockStatus.Completed);
        done.Succeeded.Keys.ShouldBe([A.Device]);
        done.Failed.Keys.ShouldBe([B.Device]);
        (paidToA + done.CarriedOut).ShouldBe(done.Emission + done.CarriedIn);
    }

    [Fact]
    public void a_payment_confirmed_twice_with_the_same_signature_changes_nothing_and_with_another_is_refused()
    {
        var state = Apply(Closed(), RewardBlock.Succeed(Closed(), A.Device, "sigA", End));

        RewardBlock.Succeed(state, A.Device, "sigA", End).ShouldBe(new RewardBlockDecision([]), new DecisionComparer());
        RewardBlock.Succeed(state, A.Device, "sigOther", End).Rejection!.ShouldContain("already settled");
        RewardBlock.Fail(state, A.Device, "late failure", End).Rejection!.ShouldContain("already settled");
        RewardBlock.Succeed(state, C.Device, "sigC", End).Rejection!.ShouldContain("no payout");
    }

    [Fact]
    public void a_block_with_nobody_nominated_completes_at_once_and_carries_everything()
    {
        var decision = RewardBlock.Close(Opened(7), [C], End);
        var done = Apply(Opened(7), decision);

        done.Status.ShouldBe(RewardBlockStatus.Completed);
        done.CarriedOut.ShouldBe(448_028_673_835UL + 7);
    }

    [Fact]
    public void a_block_whose_payouts_all_failed_completes_without_a_root()
    {
        var state = Closed();
        state = Apply(state, RewardBlock.Fail(state, A.Device, "x", End));
        state = Apply(state, RewardBlock.Fail(state, B.Device, "y", End));

        state.Commitment().ShouldBeNull();
        var done = Apply(state, RewardBlock.CompleteUnpaid(state, End));

        done.Status.ShouldBe(RewardBlockStatus.Completed);
        done.CarriedOut.ShouldBe(done.Emission + done.CarriedIn);
        RewardBlock.CompleteUnpaid(Closed(), End).Rejection.ShouldNotBeNull();
    }

    [Fact]
    public void the_state_is_the_fold_of_its_events()
    {
        var closed = Closed();
        var events = new object[]
        {
            new RewardBlockOpened(5, Start, End, 448_028_673_835, 7, Start),
            new RewardBlockClosed(5, 448_028_673_842, closed.Nominated, closed.NotNominated, 0, End),
            new RewardPaymentSucceeded(5, A.Device, "sigA", End),
        };

        var state = Given(events);

        state.Status.ShouldBe(RewardBlockStatus.Processing);
        state.Succeeded[A.Device].ShouldBe("sigA");
        state.AllSettled.ShouldBeFalse();
    }

    private sealed class DecisionComparer : IEqualityComparer<RewardBlockDecision>
    {
        public bool Equals(RewardBlockDecision? x, RewardBlockDecision? y) =>
            x is not null && y is not null && x.Rejection == y.Rejection && x.Events.SequenceEqual(y.Events);

        public int GetHashCode(RewardBlockDecision obj) => obj.Events.Count;
    }
}
