using System.Globalization;
using IoNet.Ledger.Chain;
using Marten.Events.Projections;

namespace IoNet.Ledger.Rewards;

/// <summary>One reward block: what the treasury paid, to which devices.</summary>
public sealed class RewardBlockPayouts : CheckedReadModel
{
    /// <summary>The block number as a decimal string.</summary>
    public string Id { get; set; } = "";
    public ulong Total { get; set; }
    public Dictionary<string, ulong> ByDevice { get; set; } = [];
}

public sealed class RewardBlockPayoutsProjection : MultiStreamProjection<RewardBlockPayouts, string>
{
    public RewardBlockPayoutsProjection() => Identity<RewardPaid>(e => e.Block.ToString(CultureInfo.InvariantCulture));

    public static void Apply(RewardPaid e, RewardBlockPayouts view)
    {
        view.Total = view.Add(e, view.Total, e.Amount, "total");
        view.Add(e, view.ByDevice, e.Device, e.Amount, "by device");
    }
}
