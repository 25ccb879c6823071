using IoNet.Suppliers.Staking;

namespace IoNet.Suppliers.Tests.Rewards;

public sealed class DeviceStakeTests
{
    private const ulong Io = 100_000_000;
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly StakeRules Rules = StakeRules.Default;

    [Fact]
    public void an_unstake_stops_counting_at_once_and_is_withdrawable_after_14_days()
    {
        var stake = new DeviceStake();
        stake.Deposit(1_000 * Io);

        var request = stake.RequestUnstake(400 * Io, Now, Rules).ShouldNotBeNull();

        request.AvailableAt.ShouldBe(Now + TimeSpan.FromDays(14));
        stake.Staked.ShouldBe(600 * Io);
        stake.InVault.ShouldBe(1_000 * Io);
        stake.Withdrawable(Now + TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1)).ShouldBe(0UL);
        stake.Withdraw(Now + TimeSpan.FromDays(13)).ShouldBe(0UL);
        stake.Withdraw(Now + TimeSpan.FromDays(14)).ShouldBe(400 * Io);
        stake.Withdraw(Now + TimeSpan.FromDays(15)).ShouldBe(0UL);
        (stake.InVault, stake.Staked).ShouldBe((600 * Io, 600 * Io));
    }

    [Fact]
    public void more_than_the_stake_cannot_be_unstaked()
    {
        var stake = new DeviceStake();
        stake.Deposit(100);
        stake.RequestUnstake(60, Now, Rules).ShouldNotBeNull();

        stake.RequestUnstake(41, Now, Rules).ShouldBeNull();
        stake.RequestUnstake(0, Now, Rules).ShouldBeNull();
        stake.RequestUnstake(40, Now, Rules).ShouldNotBeNull();
    }

    [Fact]
    public void a_hired_device_failing_a_proof_loses_10_percent_rounded_up_and_spoofing_loses_everything()
    {
        var stake = new DeviceStake();
        stake.Deposit(1_001);

        stake.Slash(SlashReason.FailedProofWhileHired, Rules).ShouldBe(101UL);
        stake.InVault.ShouldBe(900UL);
        stake.Slash(SlashReason.Spoofing, Rules).ShouldBe(900UL);
        (stake.InVault, stake.Staked, stake.Slashed).ShouldBe((0UL, 0UL, 1_001UL));
    }

    [Fact]
    public void cooling_down_does_not_escape_a_slash()
    {
        var stake = new DeviceStake();
        stake.Deposit(1_000);
        stake.RequestUnstake(1_000, Now, Rules);

        stake.Slash(SlashReason.FailedProofWhileHired, Rules).ShouldBe(100UL);

        stake.Cooling.ShouldHaveSingleItem().Amount.ShouldBe(900UL);
        stake.Withdraw(Now + TimeSpan.FromDays(14)).ShouldBe(900UL);
        stake.InVault.ShouldBe(0UL);
    }
}
