using GraphQL.Types;
using IoNet.Explorer.Batching;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Devices;

namespace IoNet.Explorer.Schema;

public sealed class DeviceType : ObjectGraphType<DeviceRow>
{
    public DeviceType()
    {
        Name = "Device";
        Description = "A device: registered with the marketplace (registry fields), rewarded or staked for on chain (earnings), or both. Registry fields are null for a device only the chain knows.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("32 lower-case hex digits.").Resolve(c => c.Source.Id);
        Field<StringGraphType>("owner").Description("The supplier's wallet that registered it.").Resolve(c => c.Source.Registry?.Owner);
        Field<DeviceStatusType>("status").Description("Its marketplace status; null when not registered.").Resolve(c => c.Source.Registry?.Status);
        Field<BooleanGraphType>("eligible").Description("Found fit to be hired (by an operator or a verified proof of work).").Resolve(c => c.Source.Registry?.MarkedEligible);
        Field<DeviceSpecsType>("specs").Description("Hardware as registered.").Resolve(c => c.Source.Registry);
        Field<StringGraphType>("location").Description("\"City, CC\" as registered.").Resolve(c => c.Source.Registry is { } d ? Location(d) : null);
        Field<StringGraphType>("country").Description("ISO 3166 alpha-2.").Resolve(c => c.Source.Registry?.Country);
        Field<StringGraphType>("city").Resolve(c => c.Source.Registry?.City);
        Field<StringGraphType>("connectivity").Description("LOW, MEDIUM, HIGH or ULTRA.").Resolve(c => c.Source.Registry?.Connectivity.ToString().ToUpperInvariant());
        Field<StringGraphType>("security").Description("STANDARD, ENDTOENDENCRYPTED or SOC2.").Resolve(c => c.Source.Registry?.Security.ToString().ToUpperInvariant());
        Field<DateTimeOffsetGraphType>("registeredAt").Resolve(c => c.Source.Registry?.RegisteredAt);
        Field<NonNullGraphType<DeviceEarningsType>>("earnings").Description("Zeros for a device never rewarded nor staked.").Resolve(c => c.Source.EarningsOrZero);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayoutType>>>>("recentPayouts")
            .Description($"The device's newest reward payouts ({Loaders.NestedEvents} at most; the full history: payouts(filter: {{device}})).")
            .Resolve(c => c.Reads<Loaders>().DevicePayouts.Load(c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ClusterType>>>>("rentals")
            .Description($"The clusters that hired it, newest first ({Loaders.NestedEvents} at most; all: clusters(filter: {{device}})).")
            .Resolve(c => c.Reads<Loaders>().DeviceRentals.Load(c.Source.Id).Then(r => r ?? []));
        Field<FloatGraphType>("uptime30d").Description("Share of the last 30 days online, 0..1. Null: heartbeats (Suppliers/Uptime) are not stored where the explorer reads.").Resolve(_ => null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProofOfWorkType>>>>("proofsOfWork")
            .Description($"Answered proof-of-work challenges, newest first ({Loaders.NestedEvents} at most), from the marketplace's records.")
            .Resolve(c => c.Reads<Loaders>().DeviceProofs.Load(c.Source.Id).Then(r => r ?? []));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("anomalyFlags")
            .Description("What buyers are shown about the device's proofs of work (failed proofs, slower than its model).")
            .Resolve(c => c.Reads<Loaders>().DeviceStandings.Load(c.Source.Id).Then(s => s?.Anomalies() ?? []));
    }

    public static string Location(Device d) => string.IsNullOrEmpty(d.City) ? d.Country : $"{d.City}, {d.Country}";
}

public sealed class DeviceStatusType : EnumerationGraphType<DeviceStatus>
{
    public DeviceStatusType() => Name = "DeviceStatus";
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

public sealed class DeviceSpecsType : ObjectGraphType<Device>
{
    public DeviceSpecsType()
    {
        Name = "DeviceSpecs";
        Description = "Hardware as the supplier registered it.";
        Field<StringGraphType>("gpuModel").Description("Catalogue id; null for a CPU-only device.").Resolve(c => c.Source.GpuModel);
        Field<NonNullGraphType<IntGraphType>>("gpuCount").Resolve(c => c.Source.GpuCount);
        Field<IntGraphType>("vramGb").Description("Not registered per device (the hardware catalogue knows it per model): null.").Resolve(_ => null);
        Field<StringGraphType>("cpu").Resolve(c => c.Source.CpuClass);
        Field<NonNullGraphType<IntGraphType>>("ramGb").Resolve(c => c.Source.RamGiB);
    }
}

public sealed class ProofOfWorkType : ObjectGraphType<ProofOfWorkRecord>
{
    public ProofOfWorkType()
    {
        Name = "ProofOfWork";
        Description = "One proof-of-work challenge and its outcome, as the marketplace recorded it.";
        Field<NonNullGraphType<StringGraphType>>("challenge").Description("The challenge id, 32 hex digits.").Resolve(c => c.Source.Challenge.ToString("N"));
        Field<NonNullGraphType<BooleanGraphType>>("passed").Resolve(c => c.Source.Passed);
        Field<NonNullGraphType<StringGraphType>>("outcome").Description("Verified, or the failure's name.").Resolve(c => c.Source.Outcome ?? "");
        Field<StringGraphType>("detail").Resolve(c => c.Source.Detail);
        Field<LongGraphType>("at").Description("When it was decided, Unix seconds.").Resolve(c => c.Source.CompletedAt?.ToUnixTimeSeconds());
        Field<NonNullGraphType<LongGraphType>>("issuedAt").Description("Unix seconds.").Resolve(c => c.Source.IssuedAt.ToUnixTimeSeconds());
        Field<NonNullGraphType<IntGraphType>>("n").Description("The matrix size.").Resolve(c => c.Source.N);
        Field<LongGraphType>("elapsedMilliseconds").Description("The device's own measure of its compute.").Resolve(c => (long?)c.Source.ElapsedMilliseconds);
    }
}

public sealed class DeviceOrderType : EnumerationGraphType<DeviceOrderBy>
{
    public DeviceOrderType() => Name = "DeviceOrder";
}

public sealed class DeviceFilterType : InputObjectGraphType<DeviceFilter>
{
    public DeviceFilterType()
    {
        Name = "DeviceFilter";
        Description = "Every field set narrows.";
        Field<BooleanGraphType>("staked").Description("true: only devices with stake; false: only without.");
        Field<DeviceStatusType>("status");
        Field<StringGraphType>("gpuModel");
        Field<StringGraphType>("country").Description("ISO 3166 alpha-2.");
        Field<StringGraphType>("owner").Description("The supplier's wallet.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new DeviceFilter(
        PayoutFilterType.GetStruct<bool>(value, "staked"), PayoutFilterType.GetStruct<DeviceStatus>(value, "status"),
        PayoutFilterType.Get<string>(value, "gpuModel"), PayoutFilterType.Get<string>(value, "country"), PayoutFilterType.Get<string>(value, "owner"));
}
