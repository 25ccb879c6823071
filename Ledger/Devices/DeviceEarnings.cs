using System.Globalization;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using Marten.Events.Projections;

namespace IoNet.Ledger.Devices;

/// <summary>Per device: rewards in total and per reward block, and its stake, in IO base units.</summary>
public sealed class DeviceEarnings : CheckedReadModel
{
    public string Id { get; set; } = "";
    public ulong Rewards { get; set; }

    /// <summary>Reward block number (decimal string, as JSON keys are strings) to the amount paid for it.</summary>
    public Dictionary<string, ulong> RewardsByBlock { get; set; } = [];

    public ulong StakeDeposits { get; set; }
    public ulong StakeWithdrawals { get; set; }
    public ulong Slashed { get; set; }

    /// <summary>Deposited less withdrawn and slashed; null while those exceed the deposits (see <see cref="CheckedReadModel"/>).</summary>
    public ulong? Staked => Remaining(StakeDeposits, StakeWithdrawals, Slashed);
}

public sealed class DeviceEarningsProjection : MultiStreamProjection<DeviceEarnings, string>
{
    public DeviceEarningsProjection()
    {
        Identity<RewardPaid>(e => e.Device);
        Identity<StakeDeposited>(e => e.Device);
        Identity<StakeWithdrawn>(e => e.Device);
        Identity<StakeSlashed>(e => e.Device);
    }

    public static void Apply(RewardPaid e, DeviceEarnings view)
    {
        view.Rewards = view.Add(e, view.Rewards, e.Amount, "rewards");
        view.Add(e, view.RewardsByBlock, e.Block.ToString(CultureInfo.InvariantCulture), e.Amount, "rewards by block");
    }

    public static void Apply(StakeDeposited e, DeviceEarnings view) => view.StakeDeposits = view.Add(e, view.StakeDeposits, e.Amount, "stake deposits");

    public static void Apply(StakeWithdrawn e, DeviceEarnings view) => view.StakeWithdrawals = view.Add(e, view.StakeWithdrawals, e.Amount, "stake withdrawals");

    public static void Apply(StakeSlashed e, DeviceEarnings view) => view.Slashed = view.Add(e, view.Slashed, e.Amount, "slashed");
}
