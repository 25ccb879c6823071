using GraphQL.Types;
using IoNet.Explorer.Batching;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Rentals;

namespace IoNet.Explorer.Schema;

public sealed class ClusterType : ObjectGraphType<RentalEscrow>
{
    public ClusterType()
    {
        Name = "Cluster";
        Description = "A rental (cluster) as the Ledger knows it today: its money in the escrow vault (RentalEscrow) and the transactions that moved it. Fields marked 'no data source yet' wait for the Marketplace issue.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The rental id, 32 lower-case hex digits (the Solana Pay reference's seed).").Resolve(c => c.Source.Id);
        Field<StringGraphType>("mint").Resolve(c => c.Source.Mint);
        Field<StringGraphType>("payer").Resolve(c => c.Source.Payer);
        Field<NonNullGraphType<UInt64GraphType>>("funded").Resolve(c => c.Source.Funded);
        Field<NonNullGraphType<UInt64GraphType>>("settled").Resolve(c => c.Source.Settled);
        Field<NonNullGraphType<UInt64GraphType>>("refunded").Resolve(c => c.Source.Refunded);
        Field<NonNullGraphType<UInt64GraphType>>("escrowBalance").Description("What the vault still holds for it.").Resolve(c => c.Source.Balance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KeyedAmountType>>>>("paidToSuppliers").Description("Key: the supplier's wallet.")
            .Resolve(c => KeyedAmountType.From(c.Source.PaidToSuppliers));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RentalFundedType>>>>("payments")
            .Description($"Fundings into escrow, in chain order (the newest {Loaders.NestedEvents} escrow events of the cluster at most).")
            .Resolve(c => c.Reads<Loaders>().ClusterEvents.Load(c.Source.Id).Then(Of<RentalFunded>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayoutType>>>>("payouts").Description("Settlements to suppliers, in chain order.")
            .Resolve(c => c.Reads<Loaders>().ClusterEvents.Load(c.Source.Id).Then(e => Of<RentalSettled>(e).Select(r => new Payout(r)).ToList()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RentalRefundedType>>>>("refunds").Description("The unused rest returned to the buyer.")
            .Resolve(c => c.Reads<Loaders>().ClusterEvents.Load(c.Source.Id).Then(Of<RentalRefunded>));
        Field<StringGraphType>("status").Description("No data source yet.").Resolve(_ => null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeviceType>>>>("devices").Description("No data source yet: empty.").Resolve(_ => Array.Empty<object>());
        Field<UInt64GraphType>("pricePerHour").Description("No data source yet.").Resolve(_ => null);
        Field<FloatGraphType>("remainingHours").Description("No data source yet.").Resolve(_ => null);
        Field<StringGraphType>("terminationReason").Description("No data source yet.").Resolve(_ => null);
    }

    private static List<LedgerEventRecord> Of<T>(List<LedgerEventRecord>? events) => events?.Where(e => e.Event is T).ToList() ?? [];
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
        Field<StringGraphType>("payer");
        Field<StringGraphType>("mint");
        Field<BooleanGraphType>("open").Description("true: escrow balance above zero; false: fully paid out or refunded.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new ClusterFilter(value.TryGetValue("payer", out var p) ? (string?)p : null, value.TryGetValue("mint", out var m) ? (string?)m : null,
            value.TryGetValue("open", out var o) ? (bool?)o : null);
}
