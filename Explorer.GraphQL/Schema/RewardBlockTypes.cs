using GraphQL.Types;
using IoNet.Explorer.Batching;
using IoNet.Ledger.Rewards;

namespace IoNet.Explorer.Schema;

public sealed class RewardBlockType : ObjectGraphType<RewardBlockPayouts>
{
    public RewardBlockType()
    {
        Name = "RewardBlock";
        Description = "A reward block: what the rewards treasury paid in it, per device (RewardBlockPayouts).";
        Field<NonNullGraphType<UInt64GraphType>>("number").Resolve(c => ulong.Parse(c.Source.Id, System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<UInt64GraphType>>("total").Description("IO base units paid in the block.").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<IntGraphType>>("deviceCount").Resolve(c => c.Source.ByDevice.Count);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KeyedAmountType>>>>("byDevice").Description("Key: the device id.")
            .Resolve(c => KeyedAmountType.From(c.Source.ByDevice));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayoutType>>>>("recentPayouts")
            .Description($"The block's newest payouts ({Loaders.NestedEvents} at most; all of them: payouts(filter: {{rewardBlock}})).")
            .Resolve(c => c.Reads<Loaders>().BlockPayouts.Load(c.Source.Id));
        Field<StringGraphType>("merkleRoot").Description("No data source yet.").Resolve(_ => null);
    }
}
