using IoNet.Programs.Flows;
using IoNet.Suppliers.Rewards;

namespace IoNet.Suppliers.Tests.Rewards;

public sealed class NominationTests
{
    private const ulong Io = EmissionSchedule.BaseUnitsPerIo;
    private static readonly DateTimeOffset End = RewardRound.BlockEnd;

    // An H100 box with 8 GPUs: multiplier 13.94, so 200 × 13.94 × 8 = 22,304 IO of stake.
    private static readonly RewardCandidate H100x8 = new(
        Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"), ProofOfWork.ProofOfWorkExchange.Key(1).PublicKey, RewardPool.Gpu, 8, 1394, 4,
        false, TimeSpan.FromHours(5), End - TimeSpan.FromHours(23), 22_304 * Io, false);

    [Fact]
    public void a_device_meeting_every_rule_is_nominated() =>
        Nomination.Evaluate(H100x8, End, RewardRules.Default).ShouldBe(new NominationResult(true, []), new NominationComparer());

    [Fact]
    public void the_stake_needed_is_200_io_times_the_multiplier_at_least_1_per_gpu()
    {
        Nomination.RequiredStake(H100x8, RewardRules.Default).ShouldBe(22_304 * Io);
        Nomination.RequiredStake(H100x8 with { HardwareMultiplierHundredths = 92, Units = 2 }, RewardRules.Default).ShouldBe(400 * Io);
    }

    [Theory]
    [InlineData("uptime", "4.98 h green uptime")]
    [InlineData("proof old", "no proof of work verified in the 24 h")]
    [InlineData("no proof", "no verified proof of work")]
    [InlineData("stake", "stake 2230399999999 below the 2230400000000")]
    [InlineData("blocked", "blocked or unsupported")]
    [InlineData("multiplier", "multiplier 0")]
    public void each_rule_that_fails_is_named(string rule, string reason)
    {
        var device = rule switch
        {
            "uptime" => H100x8 with { GreenUptime = TimeSpan.FromHours(5) - TimeSpan.FromMinutes(1) },
            "proof old" => H100x8 with { ProofVerifiedAt = End - TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1) },
            "no proof" => H100x8 with { ProofVerifiedAt = null },
            "stake" => H100x8 with { Stake = 22_304 * Io - 1 },
            "blocked" => H100x8 with { BlockedOrUnsupported = true },
            "multiplier" => H100x8 with { HardwareMultiplierHundredths = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };

        var result = Nomination.Evaluate(device, End, RewardRules.Default);

        result.IsNominated.ShouldBeFalse();
        result.Reasons.ShouldHaveSingleItem().ShouldContain(reason);
    }

    [Fact]
    public void the_score_multiplies_connectivity_hardware_gpus_and_hire()
    {
        RewardScore.Of(H100x8, RewardRules.Default).ShouldBe(130UL * 1394 * 8 * 100);
        RewardScore.Of(H100x8 with { Hired = true, ConnectivityTier = 1 }, RewardRules.Default).ShouldBe(100UL * 1394 * 8 * 150);
    }

    [Fact]
    public void a_block_with_nobody_nominated_carries_everything()
    {
        var split = RewardSplit.Split(3, 1000, [H100x8 with { Stake = 0 }], End);

        split.Payouts.ShouldBeEmpty();
        split.Carried.ShouldBe(1000UL);
        split.NotNominated.ShouldHaveSingleItem().Device.ShouldBe(H100x8.Device);
    }

    [Fact]
    public void the_same_device_twice_is_refused() =>
        Should.Throw<ArgumentException>(() => RewardSplit.Split(3, 1000, [H100x8, H100x8], End));

    [Fact]
    public void the_payout_root_memo_has_the_documented_form_and_parses_back()
    {
        var gpu2 = H100x8 with { Device = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Units = 1, Stake = 2_788 * Io };
        var cpu = H100x8 with { Device = Guid.Parse("ffffffff-d9cb-469f-a165-70867728950e"), Pool = RewardPool.Cpu, Units = 1, HardwareMultiplierHundredths = 100, Stake = 200 * Io };
        var split = RewardSplit.Split(42, 1_000_000, [H100x8, gpu2, cpu], End);
        var commitment = new PayoutCommitment(split);

        split.Payouts.Select(p => p.Amount).ShouldBe([105_556UL, 844_444UL, 50_000UL]);
        var memo = commitment.Memo;
        memo.Text.ShouldBe($"ionet:v1:rewardroot:42:{commitment.Root.ToHex()}:3:1000000");
        IoNetMemo.TryParse(memo.Text).ShouldBe(memo);
        IoNetMemo.TryParse(memo.Text.ToUpperInvariant().Replace("IONET:V1:REWARDROOT", "ionet:v1:rewardroot", StringComparison.Ordinal)).ShouldBeNull();
        commitment.ProofFor(Guid.NewGuid()).ShouldBeNull();
    }

    private sealed class NominationComparer : IEqualityComparer<NominationResult>
    {
        public bool Equals(NominationResult? x, NominationResult? y) =>
            x is not null && y is not null && x.IsNominated == y.IsNominated && x.Reasons.SequenceEqual(y.Reasons);

        public int GetHashCode(NominationResult obj) => obj.IsNominated.GetHashCode();
    }
}
