using GraphQL;
using GraphQL.Types;
using IoNet.Explorer.Batching;
using IoNet.Explorer.Live;
using IoNet.Explorer.Reads;

namespace IoNet.Explorer.Schema;

public sealed class ExplorerQuery : ObjectGraphType
{
    public ExplorerQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<NetworkType>>("network").Description("The whole network (cached until the Ledger moves).")
            .ResolveAsync(async c => await c.Reads<NetworkCache>().GetAsync(c.CancellationToken));

        this.ConnectionField<object?, ClusterType>("clusters", "Rentals (clusters): matched by the marketplace, or funded through escrow.")
            .Argument<ClusterFilterType>("filter").Argument<ClusterOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<ClusterReads>().PageAsync(c.GetArgument("filter", new ClusterFilter()),
                c.GetArgument("orderBy", ClusterOrderBy.Id), c.Page(DocumentReads.CursorKind), c.CancellationToken)).ToConnection());
        Field<ClusterType>("cluster").Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c => c.Reads<Loaders>().Clusters.Load(Ids.Normalize(c.GetArgument<string>("id"))));

        this.ConnectionField<object?, DeviceType>("devices", "Devices: registered with the marketplace, or rewarded or staked for on chain.")
            .Argument<DeviceFilterType>("filter")
            .Argument<BooleanGraphType>("staked", "true: only devices with stake; false: only without (the same as filter.staked).").Argument<DeviceOrderType>("orderBy")
            .ResolveAsync(async c =>
            {
                var filter = c.GetArgument("filter", new DeviceFilter());
                if (c.GetArgument<bool?>("staked") is { } staked)
                    filter = filter with { Staked = staked };
                return (await c.Reads<DeviceReads>().PageAsync(filter, c.GetArgument("orderBy", DeviceOrderBy.Id),
                    c.Page(DocumentReads.CursorKind), c.CancellationToken)).ToConnection();
            });
        Field<DeviceType>("device").Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c => c.Reads<Loaders>().Devices.Load(Ids.Normalize(c.GetArgument<string>("id"))));

        this.ConnectionField<object?, PayoutType>("payouts", "Block rewards and rental settlements, in chain order.")
            .Argument<PayoutFilterType>("filter").Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c =>
            {
                var (filter, page, newest) = (c.GetArgument("filter", new PayoutFilter()), c.Page(EventReads.CursorKind), c.NewestFirst());
                // The plain newest first page (the home page's) comes from the cache until the Ledger moves.
                return (await c.Reads<NetworkCache>().NewestPayoutsAsync(filter, page, newest, c.CancellationToken)
                    ?? await c.Reads<PayoutReads>().PageAsync(filter, page, newest, c.CancellationToken)).ToConnection();
            });
        this.ConnectionField<object?, BurnType>("burns", "Burns of the tracked mints.")
            .Argument<SupplyFilterType>("filter").Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c =>
            {
                var (filter, page, newest) = (c.GetArgument("filter", new SupplyFilter()), c.Page(EventReads.CursorKind), c.NewestFirst());
                return (await c.Reads<NetworkCache>().NewestBurnsAsync(filter, page, newest, c.CancellationToken)
                    ?? await c.Reads<SupplyReads>().BurnsAsync(filter, page, newest, c.CancellationToken)).ToConnection();
            });
        this.ConnectionField<object?, TokenMintType>("mints", "Mints of the tracked mints.")
            .Argument<SupplyFilterType>("filter").Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<SupplyReads>().MintsAsync(c.GetArgument("filter", new SupplyFilter()), c.Page(EventReads.CursorKind),
                c.NewestFirst(), c.CancellationToken)).ToConnection());
        this.ConnectionField<object?, CreditPurchaseType>("credits", "IOSD credit purchases (filter.owner: the buyer).")
            .Argument<SupplyFilterType>("filter").Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<SupplyReads>().CreditsAsync(c.GetArgument("filter", new SupplyFilter()), c.Page(EventReads.CursorKind),
                c.NewestFirst(), c.CancellationToken)).ToConnection());

        this.ConnectionField<object?, CreditsRequestedType>("creditRequests", "IO burned to buy credits, each with the IOSD mint that paid it once the credits desk minted (filter.owner: the buyer).")
            .Argument<SupplyFilterType>("filter").Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<SupplyReads>().CreditRequestsAsync(c.GetArgument("filter", new SupplyFilter()), c.Page(EventReads.CursorKind),
                c.NewestFirst(), c.CancellationToken)).ToConnection());

        Field<TransactionType>("transaction").Description("Every Ledger event of a transaction; null when the Ledger holds none.")
            .Argument<NonNullGraphType<StringGraphType>>("signature")
            .Resolve(c => c.Reads<Loaders>().Transactions.Load(c.GetArgument<string>("signature")));
        Field<WalletType>("wallet").Description("A wallet's summary; null when the Ledger has none for the address.")
            .Argument<NonNullGraphType<StringGraphType>>("address")
            .Resolve(c => c.Reads<Loaders>().Wallets.Load(c.GetArgument<string>("address")));

        this.ConnectionField<object?, RewardBlockType>("rewardBlocks", "Reward blocks, newest (highest number) first by default.")
            .Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<RewardBlockReads>().PageAsync(c.Page(DocumentReads.CursorKind), c.NewestFirst(), c.CancellationToken)).ToConnection());
        Field<RewardBlockType>("rewardBlock").Argument<NonNullGraphType<UInt64GraphType>>("number")
            .Resolve(c => c.Reads<Loaders>().RewardBlocks.Load(c.GetArgument<ulong>("number").ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SearchHitType>>>>("search")
            .Description("What the Ledger holds under a signature, an address, a device or cluster id, or a reward block number.")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .ResolveAsync(async c => await c.Reads<SearchReads>().SearchAsync(c.GetArgument<string>("text"), c.CancellationToken));
    }
}

public sealed class PayoutFilterType : InputObjectGraphType<PayoutFilter>
{
    public PayoutFilterType()
    {
        Name = "PayoutFilter";
        Description = "Every field set narrows; times are Unix seconds (from inclusive, to exclusive).";
        Field<StringGraphType>("wallet").Description("The recipient.");
        Field<IdGraphType>("device");
        Field<UInt64GraphType>("rewardBlock");
        Field<IdGraphType>("cluster");
        Field<StringGraphType>("mint");
        Field<LongGraphType>("fromTime");
        Field<LongGraphType>("toTime");
        Field<PayoutKindType>("kind");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new PayoutFilter(
        Get<string>(value, "wallet"), Get<object>(value, "device")?.ToString(), GetStruct<ulong>(value, "rewardBlock"), Get<object>(value, "cluster")?.ToString(),
        Get<string>(value, "mint"), GetStruct<long>(value, "fromTime"), GetStruct<long>(value, "toTime"), GetStruct<PayoutKind>(value, "kind"));

    internal static T? Get<T>(IDictionary<string, object?> value, string key) where T : class => value.TryGetValue(key, out var v) ? v as T : null;

    internal static T? GetStruct<T>(IDictionary<string, object?> value, string key) where T : struct =>
        value.TryGetValue(key, out var v) ? v switch { T t => t, int i when typeof(T) == typeof(long) => (T)(object)(long)i, _ => null } : null;
}

public sealed class SupplyFilterType : InputObjectGraphType<SupplyFilter>
{
    public SupplyFilterType()
    {
        Name = "SupplyFilter";
        Description = "Every field set narrows; times are Unix seconds (from inclusive, to exclusive). owner: the token owner, the slashed staker, or (credits) the buyer.";
        Field<StringGraphType>("mint");
        Field<StringGraphType>("owner");
        Field<BurnReasonType>("reason").Description("Burns only.");
        Field<LongGraphType>("fromTime");
        Field<LongGraphType>("toTime");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new SupplyFilter(
        PayoutFilterType.Get<string>(value, "mint"), PayoutFilterType.Get<string>(value, "owner"), PayoutFilterType.GetStruct<BurnReason>(value, "reason"),
        PayoutFilterType.GetStruct<long>(value, "fromTime"), PayoutFilterType.GetStruct<long>(value, "toTime"));
}

public sealed class SearchKindType : EnumerationGraphType<SearchKind>
{
    public SearchKindType() => Name = "SearchKind";
}

public sealed class SearchHitType : ObjectGraphType<SearchHit>
{
    public SearchHitType()
    {
        Name = "SearchHit";
        Description = "Something the Ledger holds under the searched text; the matching field below is set.";
        Field<NonNullGraphType<SearchKindType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        Field<TransactionType>("transaction").Resolve(c => c.Source.Kind == SearchKind.Transaction ? c.Reads<Loaders>().Transactions.Load(c.Source.Key) : null);
        Field<WalletType>("wallet").Resolve(c => c.Source.Kind == SearchKind.Wallet ? c.Reads<Loaders>().Wallets.Load(c.Source.Key) : null);
        Field<DeviceType>("device").Resolve(c => c.Source.Kind == SearchKind.Device ? c.Reads<Loaders>().Devices.Load(c.Source.Key) : null);
        Field<ClusterType>("cluster").Resolve(c => c.Source.Kind == SearchKind.Cluster ? c.Reads<Loaders>().Clusters.Load(c.Source.Key) : null);
        Field<RewardBlockType>("rewardBlock").Resolve(c => c.Source.Kind == SearchKind.RewardBlock ? c.Reads<Loaders>().RewardBlocks.Load(c.Source.Key) : null);
    }
}
