using GraphQL.Types;
using IoNet.Explorer.Reads;

namespace IoNet.Explorer.Schema;

/// <summary>The home query's data: the projections' snapshot and the Ledger's progress, read (or cached) together.</summary>
/// <remarks>Never changed after it is read: HybridCache hands out the same instance instead of a deserialized copy.</remarks>
[System.ComponentModel.ImmutableObject(true)]
public sealed record NetworkView(NetworkSnapshot Snapshot, ChainProgress Chain);

public sealed class NetworkType : ObjectGraphType<NetworkView>
{
    public NetworkType()
    {
        Name = "Network";
        Description = "The whole network at a glance (NetworkTotals, TokenSupply and counts of the projections). Amounts in base units.";
        Field<TokenSupplyType>("io").Description("IO's supply (null when the IO mint is not configured or not indexed yet).")
            .Resolve(c => c.Source.Snapshot.Supply(c.Source.Snapshot.Mints.Io));
        Field<TokenSupplyType>("iosd").Description("IOSD's supply: credits in circulation.").Resolve(c => c.Source.Snapshot.Supply(c.Source.Snapshot.Mints.Iosd));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TokenSupplyType>>>>("supplies").Description("Every tracked mint.").Resolve(c => c.Source.Snapshot.Supplies);
        Field<NonNullGraphType<UInt64GraphType>>("creditPurchases").Resolve(c => c.Source.Snapshot.Totals.CreditPurchases);
        Field<NonNullGraphType<UInt64GraphType>>("ioBurnedForCredits").Resolve(c => c.Source.Snapshot.Totals.IoBurnedForCredits);
        Field<NonNullGraphType<UInt64GraphType>>("iosdMintedForCredits").Resolve(c => c.Source.Snapshot.Totals.IosdMintedForCredits);
        Field<NonNullGraphType<UInt64GraphType>>("feesBurned").Description("IO burned as the protocol fee.").Resolve(c => c.Source.Snapshot.Totals.FeesBurned);
        Field<NonNullGraphType<UInt64GraphType>>("rewardsPaid").Description("IO paid in block rewards.").Resolve(c => c.Source.Snapshot.Totals.RewardsPaid);
        Field<NonNullGraphType<UInt64GraphType>>("rewardPayments").Resolve(c => c.Source.Snapshot.Totals.RewardPayments);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MintAmountType>>>>("rentalsFunded").Resolve(c => MintAmountType.From(c.Source.Snapshot.Totals.RentalsFunded));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MintAmountType>>>>("rentalsSettled").Description("Paid from escrow to suppliers.")
            .Resolve(c => MintAmountType.From(c.Source.Snapshot.Totals.RentalsSettled));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MintAmountType>>>>("rentalsRefunded").Resolve(c => MintAmountType.From(c.Source.Snapshot.Totals.RentalsRefunded));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MintAmountType>>>>("paidToSuppliers")
            .Description("Everything paid to suppliers per mint: rental settlements, plus block rewards under the IO mint (when the IO mint is known).")
            .Resolve(c => MintAmountType.From(c.Source.Snapshot.PaidToSuppliers()));
        Field<NonNullGraphType<UInt64GraphType>>("staked").Resolve(c => c.Source.Snapshot.Totals.Staked);
        Field<NonNullGraphType<UInt64GraphType>>("slashed").Resolve(c => c.Source.Snapshot.Totals.Slashed);
        Field<NonNullGraphType<LongGraphType>>("devices").Description("Devices the Ledger knows (rewarded or staked).").Resolve(c => c.Source.Snapshot.Devices);
        Field<NonNullGraphType<LongGraphType>>("clusters").Description("Rentals funded through escrow.").Resolve(c => c.Source.Snapshot.Clusters);
        Field<NonNullGraphType<LongGraphType>>("openClusters").Description("Rentals whose escrow still holds money.").Resolve(c => c.Source.Snapshot.OpenClusters);
        Field<NonNullGraphType<LongGraphType>>("rewardBlocks").Resolve(c => c.Source.Snapshot.RewardBlocks);
        Field<UInt64GraphType>("latestRewardBlock").Resolve(c => c.Source.Snapshot.LatestRewardBlock);
        Field<NonNullGraphType<LongGraphType>>("wallets").Description("Wallets with a summary in the Ledger.").Resolve(c => c.Source.Snapshot.Wallets);
        Field<NonNullGraphType<ChainProgressType>>("chain").Resolve(c => c.Source.Chain);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatusCountType>>>>("devicesByStatus").Description("No data source yet: empty.").Resolve(_ => Array.Empty<object>());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatusCountType>>>>("gpusByModel").Description("No data source yet: empty.").Resolve(_ => Array.Empty<object>());
        Field<LongGraphType>("verifiedSuppliers").Description("No data source yet.").Resolve(_ => null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MarketPriceType>>>>("marketPrices").Description("Per GPU model. No data source yet: empty.").Resolve(_ => Array.Empty<object>());
    }
}

public sealed class ChainProgressType : ObjectGraphType<ChainProgress>
{
    public ChainProgressType()
    {
        Name = "ChainProgress";
        Description = "How far the Ledger is behind the chain.";
        Field<NonNullGraphType<UInt64GraphType>>("indexedSlot").Description("The newest slot the indexer has followed (its checkpoints).").Resolve(c => c.Source.IndexedSlot);
        Field<NonNullGraphType<LongGraphType>>("storedEvents").Description("The last stored event's position.").Resolve(c => c.Source.StoredEvents);
        Field<NonNullGraphType<LongGraphType>>("projectedEvents").Description("How far every projection is built.").Resolve(c => c.Source.ProjectedEvents);
        Field<DateTimeOffsetGraphType>("indexedAt").Resolve(c => c.Source.IndexedAt);
    }
}

public sealed class StatusCountType : ObjectGraphType<object>
{
    public StatusCountType()
    {
        Name = "KeyedCount";
        Field<NonNullGraphType<StringGraphType>>("key");
        Field<NonNullGraphType<LongGraphType>>("count");
    }
}

public sealed class MarketPriceType : ObjectGraphType<object>
{
    public MarketPriceType()
    {
        Name = "MarketPrice";
        Description = "A GPU model's market (no data source yet): prices in IOSD base units per GPU-hour.";
        Field<NonNullGraphType<StringGraphType>>("gpuModel");
        Field<UInt64GraphType>("bestAsk");
        Field<UInt64GraphType>("bestBid");
        Field<UInt64GraphType>("lastFill");
        Field<NonNullGraphType<UInt64GraphType>>("volume24h");
    }
}
