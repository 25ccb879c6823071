using GraphQL.Types;
using IoNet.Explorer.Batching;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Rentals;

namespace IoNet.Explorer.Schema;

public sealed class ClusterType : ObjectGraphType<ClusterRow>
{
    public ClusterType()
    {
        Name = "Cluster";
        Description = "A rental (cluster): the marketplace's decisions (devices, price, hours, status; null for a rental only the chain knows) and its money in the escrow vault (RentalEscrow) with the transactions that moved it.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The rental id, 32 lower-case hex digits (the Solana Pay reference's seed).").Resolve(c => c.Source.Id);
        Field<StringGraphType>("mint").Description("The mint it was paid in (from its escrow).").Resolve(c => c.Source.Escrow?.Mint);
        Field<StringGraphType>("payer").Resolve(c => c.Source.Escrow?.Payer ?? c.Source.Rental?.Buyer);
        Field<StringGraphType>("buyer").Description("The buyer's wallet (the marketplace's).").Resolve(c => c.Source.Rental?.Buyer);
        Field<NonNullGraphType<UInt64GraphType>>("funded").Resolve(c => c.Source.EscrowOrZero.Funded);
        Field<NonNullGraphType<UInt64GraphType>>("settled").Resolve(c => c.Source.EscrowOrZero.Settled);
        Field<NonNullGraphType<UInt64GraphType>>("refunded").Resolve(c => c.Source.EscrowOrZero.Refunded);
        Field<UInt64GraphType>("escrowBalance").Description("What the vault still holds for it; null where the Ledger's outflows exceed its inflows (inconsistent).").Resolve(c => c.Source.EscrowOrZero.Balance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KeyedAmountType>>>>("paidToSuppliers").Description("Key: the supplier's wallet.")
            .Resolve(c => KeyedAmountType.From(c.Source.EscrowOrZero.PaidToSuppliers));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RentalFundedType>>>>("payments")
            .Description($"Fundings into escrow, in chain order (the newest {Loaders.NestedEvents} escrow events of the cluster at most).")
            .Resolve(c => c.Reads<Loaders>().ClusterEvents.Load(c.Source.Id).Then(Of<RentalFunded>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayoutType>>>>("payouts").Description("Settlements to suppliers, in chain order.")
            .Resolve(c => c.Reads<Loaders>().ClusterEvents.Load(c.Source.Id).Then(e => Of<RentalSettled>(e).Select(r => new Payout(r)).ToList()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RentalRefundedType>>>>("refunds").Description("The unused rest returned to the buyer.")
            .Resolve(c => c.Reads<Loaders>().ClusterEvents.Load(c.Source.Id).Then(Of<RentalRefunded>));
        Field<RentalStatusType>("status").Description("Its marketplace status; null for a rental the marketplace did not record.").Resolve(c => c.Source.Rental?.Status);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ClusterDeviceType>>>>("devices").Description("The hired devices, each at its supplier's price.")
            .Resolve(c => c.Source.Rental?.Devices ?? []);
        Field<NonNullGraphType<IntGraphType>>("gpuCount").Resolve(c => c.Source.Rental?.GpuCount ?? 0);
        Field<StringGraphType>("currency").Description("USDC, IOSD or IO.").Resolve(c => c.Source.Rental?.Currency.ToString().ToUpperInvariant());
        Field<UInt64GraphType>("pricePerHour").Description("Σ price × GPUs over its devices, micro-USD per hour.").Resolve(c => c.Source.Rental?.PerHourMicroUsd);
        Field<UInt64GraphType>("totalUsd").Description("What the booked hours cost the buyer, fee included, micro-USD.").Resolve(c => c.Source.Rental?.TotalMicroUsd);
        Field<UInt64GraphType>("amountDue").Description("Base units of its currency due for the booked hours.").Resolve(c => c.Source.Rental?.AmountDue);
        Field<IntGraphType>("hours").Description("Booked hours (extensions included).").Resolve(c => c.Source.Rental?.Hours);
        Field<FloatGraphType>("remainingHours").Description("Booked hours not yet served: all before it starts, none once over.")
            .Resolve(c => c.Source.RemainingHours(c.Reads<TimeProvider>().GetUtcNow()));
        Field<RentalEndReasonType>("terminationReason").Description("Why it ended (COMPLETED: its hours ran out); null while it runs.").Resolve(c => c.Source.Rental?.EndReason);
        Field<DateTimeOffsetGraphType>("matchedAt").Resolve(c => c.Source.Rental?.MatchedAt);
        Field<DateTimeOffsetGraphType>("activatedAt").Resolve(c => c.Source.Rental?.ActivatedAt);
        Field<DateTimeOffsetGraphType>("endsAt").Resolve(c => c.Source.Rental?.EndsAt);
        Field<DateTimeOffsetGraphType>("endedAt").Resolve(c => c.Source.Rental?.EndedAt);
        Field<ClusterSettlementType>("settlement").Description("What settlement decided to pay (null until it is over and decided).").Resolve(c => c.Source.Rental?.Settlement);
    }

    private static List<LedgerEventRecord> Of<T>(List<LedgerEventRecord>? events) => events?.Where(e => e.Event is T).ToList() ?? [];
}

public sealed class RentalStatusType : EnumerationGraphType<RentalStatus>
{
    public RentalStatusType() => Name = "ClusterStatus";
}

public sealed class RentalEndReasonType : EnumerationGraphType<RentalEndReason>
{
    public RentalEndReasonType() => Name = "TerminationReason";
}

public sealed class ClusterDeviceType : ObjectGraphType<RentalDevice>
{
    public ClusterDeviceType()
    {
        Name = "ClusterDevice";
        Description = "A device a cluster hired, at its supplier's asked price (micro-USD per GPU-hour).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The device's id (as Device.id).").Resolve(c => c.Source.Device.ToString("N"));
        Field<NonNullGraphType<IdGraphType>>("deviceId").Resolve(c => c.Source.Device.ToString("N"));
        Field<DeviceType>("device").Resolve(c => c.Reads<Loaders>().Devices.Load(c.Source.Device.ToString("N")));
        Field<NonNullGraphType<StringGraphType>>("supplier").Resolve(c => c.Source.Supplier);
        Field<NonNullGraphType<StringGraphType>>("gpuModel").Resolve(c => c.Source.GpuModel);
        Field<NonNullGraphType<IntGraphType>>("gpuCount").Resolve(c => c.Source.GpuCount);
        Field<NonNullGraphType<UInt64GraphType>>("pricePerGpuHour").Resolve(c => c.Source.PricePerGpuHour);
    }
}

public sealed class ClusterSettlementType : ObjectGraphType<RentalSettlementDecided>
{
    public ClusterSettlementType()
    {
        Name = "ClusterSettlement";
        Description = "What the escrow pays out (base units of mint): payouts + fees + refund = funded.";
        Field<NonNullGraphType<StringGraphType>>("mint").Resolve(c => c.Source.Mint);
        Field<NonNullGraphType<UInt64GraphType>>("funded").Resolve(c => c.Source.Funded);
        Field<NonNullGraphType<UInt64GraphType>>("usageUsd").Description("The served time's worth, micro-USD.").Resolve(c => c.Source.UsageMicroUsd);
        Field<NonNullGraphType<UInt64GraphType>>("charged").Resolve(c => c.Source.Charged);
        Field<NonNullGraphType<UInt64GraphType>>("fees").Resolve(c => c.Source.Fees);
        Field<NonNullGraphType<UInt64GraphType>>("refund").Resolve(c => c.Source.Refund);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KeyedAmountType>>>>("payouts").Description("Key: the supplier's wallet.")
            .Resolve(c => c.Source.Payouts.Select(p => new KeyedAmount(p.Supplier, p.Amount)).ToList());
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("decidedAt").Resolve(c => c.Source.At);
    }
}

public sealed class ClusterOrderType : EnumerationGraphType<ClusterOrderBy>
{
    public ClusterOrderType() => Name = "ClusterOrder";
}

public sealed class ClusterFilterType : InputObjectGraphType<ClusterFilter>
{
    public ClusterFilterType()
    {
        Name = "ClusterFilter";
        Description = "Every field set narrows.";
        Field<StringGraphType>("payer").Description("Who paid into escrow (the buyer, for a rental not yet paid).");
        Field<StringGraphType>("mint");
        Field<BooleanGraphType>("open").Description("true: escrow balance above zero; false: fully paid out or refunded.");
        Field<RentalStatusType>("status");
        Field<StringGraphType>("supplier").Description("A supplier wallet among its devices'.");
        Field<IdGraphType>("device").Description("A device it hired.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new ClusterFilter(
        PayoutFilterType.Get<string>(value, "payer"), PayoutFilterType.Get<string>(value, "mint"), PayoutFilterType.GetStruct<bool>(value, "open"),
        PayoutFilterType.GetStruct<RentalStatus>(value, "status"), PayoutFilterType.Get<string>(value, "supplier"), PayoutFilterType.Get<object>(value, "device")?.ToString());
}
