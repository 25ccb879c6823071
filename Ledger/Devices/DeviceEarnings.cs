using IoNet.Ledger.Chain;
using System.Globalization;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using Marten.Events.Projections;

namespace IoNet.Ledger.Devices;

/// <summary>Per device: rewards in total and per reward block, and its stake, in IO base units.</summary>
public sealed class DeviceEarnings
{
    public string Id { get; set; } = "";
    public ulong Rewards { get; set; }

    /// <summary>Reward block number (decimal string, as JSON keys are strings) to the amount paid for it.</summary>
    public Dictionary<string, ulong> RewardsByBlock { get; set; } = [];

    public ulong Staked { get; set; }
    public ulong Slashed { get; set; }
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
        view.Rewards += e.Amount;
        var block = e.Block.ToString(CultureInfo.InvariantCulture);
        Tally.Add(view.RewardsByBlock, block, e.Amount);
    }

    public static void Apply(StakeDeposited e, DeviceEarnings view) => view.Staked += e.Amount;

    public static void Apply(StakeWithdrawn e, DeviceEarnings view) => view.Staked -= e.Amount;

    public static void Apply(StakeSlashed e, DeviceEarnings view)
    {
        view.Staked -= e.Amount;
        view.Slashed += e.Amount;
    }
}
