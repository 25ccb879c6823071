using System.Numerics;
using FsCheck.Xunit;
using IoNet.Suppliers.Rewards;

namespace IoNet.Suppliers.Tests.Rewards;

public sealed class RewardSplitPropertyTests
{
    private const int Tests = 300;

    private static RewardBlockSplit Split(RewardRound round) =>
        RewardSplit.Split(7, round.Distributable, round.Candidates, RewardRound.BlockEnd);

    [Property(Arbitrary = [typeof(RewardArbitraries)], MaxTest = Tests)]
    public void the_payouts_add_up_to_the_block_exactly_or_everything_is_carried(RewardRound round)
    {
        var split = Split(round);

        checked(split.Paid + split.Carried).ShouldBe(round.Distributable);
        split.Payouts.ShouldAllBe(p => p.Amount > 0);
        (split.Carried == 0 || split.Payouts.Count == 0).ShouldBeTrue();
        (split.Payouts.Count + split.NotNominated.Count).ShouldBeLessThanOrEqualTo(round.Candidates.Length);
    }

    [Property(Arbitrary = [typeof(RewardArbitraries)], MaxTest = Tests)]
    public void only_nominated_devices_are_paid_and_each_device_once_in_device_order(RewardRound round)
    {
        var split = Split(round);

        foreach (var p in split.Payouts)
            Nomination.Evaluate(round.Candidates.Single(c => c.Device == p.Device), RewardRound.BlockEnd, RewardRules.Default).IsNominated.ShouldBeTrue();
        foreach (var n in split.NotNominated)
            n.Reasons.ShouldNotBeEmpty();
        for (var i = 1; i < split.Payouts.Count; i++)
            DeviceOrder.Instance.Compare(split.Payouts[i - 1].Device, split.Payouts[i].Device).ShouldBeLessThan(0);
    }

    [Property(Arbitrary = [typeof(RewardArbitraries)], MaxTest = Tests)]
    public void the_gpu_pool_gets_95_percent_and_each_share_is_within_one_base_unit_of_its_exact_quota(RewardRound round)
    {
        var split = Split(round);
        var nominated = round.Candidates.Where(c => Nomination.Evaluate(c, RewardRound.BlockEnd, RewardRules.Default).IsNominated).ToList();
        var gpus = nominated.Where(c => c.Pool == RewardPool.Gpu).ToList();
        var cpus = nominated.Where(c => c.Pool == RewardPool.Cpu).ToList();
        if (gpus.Count == 0 && cpus.Count == 0)
            return;
        BigInteger gpuPool = gpus.Count == 0 ? 0 : cpus.Count == 0 ? round.Distributable : (BigInteger)round.Distributable * 95 / 100;
        var pools = new[] { (gpus, gpuPool), (cpus, round.Distributable - gpuPool) };

        foreach (var (devices, pool) in pools)
        {
            var amounts = devices.ToDictionary(d => d.Device, d => (BigInteger)(split.Payouts.SingleOrDefault(p => p.Device == d.Device)?.Amount ?? 0));
            amounts.Values.Aggregate(BigInteger.Zero, (a, b) => a + b).ShouldBe(pool);
            var total = devices.Aggregate(BigInteger.Zero, (sum, d) => sum + RewardScore.Of(d, RewardRules.Default));
            foreach (var d in devices)
            {
                // |amount − pool·score/Σ| < 1, in integers: |amount·Σ − pool·score| < Σ.
                var error = BigInteger.Abs(amounts[d.Device] * total - pool * RewardScore.Of(d, RewardRules.Default));
                (error < total).ShouldBeTrue($"device {d.Device:N}");
            }
            foreach (var a in devices)
            foreach (var b in devices.Where(b => RewardScore.Of(b, RewardRules.Default) < RewardScore.Of(a, RewardRules.Default)))
                amounts[a.Device].ShouldBeGreaterThanOrEqualTo(amounts[b.Device]);
        }
    }

    [Property(Arbitrary = [typeof(RewardArbitraries)], MaxTest = Tests)]
    public void every_payout_s_inclusion_proof_verifies_against_the_root_with_an_independent_verifier(RewardRound round)
    {
        var split = Split(round);
        if (split.Payouts.Count == 0)
            return;
        var commitment = new PayoutCommitment(split);
        var root = Convert.FromHexString(commitment.Memo.Root);

        commitment.Total.ShouldBe(split.Paid);
        foreach (var p in split.Payouts)
        {
            var proof = commitment.ProofFor(p.Device).ShouldNotBeNull();
            var siblings = proof.Siblings.Select(s => s.ToArray()).ToList();
            IndependentPayoutVerifier.Verifies(7, p.Device, p.Worker.ToString(), p.Amount, proof.Index, proof.Count, siblings, root).ShouldBeTrue();
            IndependentPayoutVerifier.Verifies(7, p.Device, p.Worker.ToString(), p.Amount + 1, proof.Index, proof.Count, siblings, root).ShouldBeFalse();
            IndependentPayoutVerifier.Verifies(8, p.Device, p.Worker.ToString(), p.Amount, proof.Index, proof.Count, siblings, root).ShouldBeFalse();
            proof.LeadsTo(commitment.Root).ShouldBeTrue();
        }
    }
}
