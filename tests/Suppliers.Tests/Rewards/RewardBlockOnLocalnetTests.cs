using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Rewards;
using IoNet.TestSupport;

namespace IoNet.Suppliers.Tests.Rewards;

/// <summary>
/// A reward block on the real localnet: the treasury pays the computed amounts, commits the root in a memo, and every
/// payout — amount read back from the chain, root read back from the node's record of the memo transaction — verifies
/// with the verifier written in this test project from docs/rewards.md.
/// </summary>
public sealed class RewardBlockOnLocalnetTests(LocalnetChain chain) : IClassFixture<LocalnetChain>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_reward_block_pays_exactly_the_computed_amounts_and_its_root_on_chain_proves_each_payout()
    {
        var treasury = chain.Authority("treasury");
        var io = chain.Network.Io;
        var schedule = new EmissionSchedule(2026, 1);
        const long block = 30 * 24 + 5;                                   // 5 a.m. on 31 January
        var end = RewardRound.BlockEnd;
        var workers = Enumerable.Range(0, 4).Select(_ => Keypair.Generate()).ToList();
        RewardCandidate Gpu(int i, int units, int multiplier, int tier, bool hired) => new(
            Guid.CreateVersion7(), workers[i].PublicKey, RewardPool.Gpu, units, multiplier, tier, hired, TimeSpan.FromHours(20),
            end - TimeSpan.FromHours(2), Nomination.RequiredStake(multiplier, units, RewardRules.Default), false);
        RewardCandidate[] candidates =
        [
            Gpu(0, 8, 1394, 4, true), Gpu(1, 1, 233, 2, false), Gpu(2, 2, 510, 3, true),
            new(Guid.CreateVersion7(), workers[3].PublicKey, RewardPool.Cpu, 1, 600, 1, false, TimeSpan.FromHours(6), end - TimeSpan.FromHours(1), 1_200 * EmissionSchedule.BaseUnitsPerIo, false),
            Gpu(1, 4, 1394, 4, false) with { Stake = 0 },                  // not nominated: no stake
        ];
        var split = RewardSplit.Split(block, schedule.ForBlock(block), candidates, end);
        var commitment = new PayoutCommitment(split);
        split.Payouts.Count.ShouldBe(4);
        split.Paid.ShouldBe(schedule.ForBlock(block));

        foreach (var payment in RewardBlockPayments.Payments(treasury.PublicKey, io, split))
            (await chain.ExecuteAsync(treasury, payment, [treasury], Ct)).Meta!.Err.ShouldBeNull();
        var memoTransaction = await chain.ExecuteAsync(treasury, RewardBlockPayments.RootCommitment(treasury.PublicKey, commitment), [treasury], Ct);

        memoTransaction.Meta!.Err.ShouldBeNull();
        var onChain = LocalnetChain.TopLevel(memoTransaction).ShouldHaveSingleItem().ShouldBeOfType<MemoInstruction>();
        onChain.Signers.ShouldContain(treasury.PublicKey);
        var memo = IoNetMemo.TryParse(onChain.Text).ShouldBeOfType<RewardRootMemo>();
        memo.Block.ShouldBe((ulong)block);
        memo.Count.ShouldBe(4UL);
        memo.Total.ShouldBe(schedule.ForBlock(block));
        var root = Convert.FromHexString(memo.Root);
        foreach (var payout in split.Payouts)
        {
            var received = await chain.TokenBalanceAsync(io.AccountOf(payout.Worker), Ct);
            var expected = split.Payouts.Where(p => p.Worker == payout.Worker).Aggregate(0UL, (sum, p) => sum + p.Amount);
            received.ShouldBe(expected);
            var proof = commitment.ProofFor(payout.Device).ShouldNotBeNull();
            IndependentPayoutVerifier.Verifies((ulong)block, payout.Device, payout.Worker.ToString(), payout.Amount, proof.Index, (int)memo.Count,
                [.. proof.Siblings.Select(s => s.ToArray())], root).ShouldBeTrue();
        }
    }
}
