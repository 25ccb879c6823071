using GraphQL.Types;
using IoNet.Explorer.Batching;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Devices;

namespace IoNet.Explorer.Schema;

public sealed class DeviceType : ObjectGraphType<DeviceEarnings>
{
    public DeviceType()
    {
        Name = "Device";
        Description = "A device the Ledger knows (it earned rewards or had stake). Fields marked 'no data source yet' are null or empty until the Suppliers issue's projections exist.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("32 lower-case hex digits.").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<DeviceEarningsType>>("earnings").Resolve(c => c.Source);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayoutType>>>>("recentPayouts")
            .Description($"The device's newest reward payouts ({Loaders.NestedEvents} at most; the full history: payouts(filter: {{device}})).")
            .Resolve(c => c.Reads<Loaders>().DevicePayouts.Load(c.Source.Id));
        Field<StringGraphType>("status").Description("No data source yet.").Resolve(_ => null);
        Field<DeviceSpecsType>("specs").Description("No data source yet.").Resolve(_ => null);
        Field<StringGraphType>("location").Description("No data source yet.").Resolve(_ => null);
        Field<StringGraphType>("connectivity").Description("No data source yet.").Resolve(_ => null);
        Field<FloatGraphType>("uptime30d").Description("Share of the last 30 days online, 0..1. No data source yet.").Resolve(_ => null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProofOfWorkType>>>>("proofsOfWork").Description("No data source yet: empty.").Resolve(_ => Array.Empty<object>());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("anomalyFlags").Description("No data source yet: empty.").Resolve(_ => Array.Empty<string>());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ClusterType>>>>("rentals").Description("No data source yet (rentals name no devices before the Marketplace issue): empty.").Resolve(_ => Array.Empty<object>());
    }
}

public sealed class DeviceEarningsType : ObjectGraphType<DeviceEarnings>
{
    public DeviceEarningsType()
    {
        Name = "DeviceEarnings";
        Description = "What the device earned and has at stake, IO base units (DeviceEarnings projection).";
        Field<NonNullGraphType<UInt64GraphType>>("rewards").Resolve(c => c.Source.Rewards);
        Field<NonNullGraphType<UInt64GraphType>>("staked").Resolve(c => c.Source.Staked);
        Field<NonNullGraphType<UInt64GraphType>>("slashed").Resolve(c => c.Source.Slashed);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KeyedAmountType>>>>("rewardsByBlock")
            .Description("Key: the reward block number.")
            .Resolve(c => c.Source.RewardsByBlock.OrderBy(p => decimal.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(p => new KeyedAmount(p.Key, p.Value)).ToList());
    }
}

public sealed class DeviceSpecsType : ObjectGraphType<object>
{
    public DeviceSpecsType()
    {
        Name = "DeviceSpecs";
        Description = "Hardware as the device reported and proved it (no data source yet).";
        Field<StringGraphType>("gpuModel");
        Field<IntGraphType>("gpuCount");
        Field<IntGraphType>("vramGb");
        Field<StringGraphType>("cpu");
        Field<IntGraphType>("ramGb");
    }
}

public sealed class ProofOfWorkType : ObjectGraphType<object>
{
    public ProofOfWorkType()
    {
        Name = "ProofOfWork";
        Description = "One proof-of-work challenge and its answer (no data source yet).";
        Field<NonNullGraphType<StringGraphType>>("challenge");
        Field<NonNullGraphType<BooleanGraphType>>("passed");
        Field<LongGraphType>("at");
    }
}

public sealed class DeviceOrderType : EnumerationGraphType<DeviceOrderBy>
{
    public DeviceOrderType() => Name = "DeviceOrder";
}
