using GraphQL;
using GraphQL.Types;
using IoNet.Explorer.Reads;

namespace IoNet.Explorer.Schema;

/// <summary>The home query's data: the projections' snapshot and the Ledger's progress, read (or cached) together.</summary>
/// <remarks>Never changed after it is read: HybridCache hands out the same instance instead of a deserialized copy.</remarks>
[System.ComponentModel.ImmutableObject(true)]
public sealed record NetworkView(NetworkSnapshot Snapshot, ChainProgress Chain, MarketSnapshot Market, IReadOnlyList<VaultCheck> Vaults);

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
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VaultType>>>>("vaults")
            .Description("Every tracked vault as the Ledger sums it (VaultBalance), with what the Ledger itself finds wrong with it.")
            .Argument<BooleanGraphType>("withProblems", "true: only vaults with problems.")
            .Resolve(c => c.GetArgument<bool?>("withProblems") == true ? c.Source.Vaults.Where(v => v.Problems.Count > 0).ToList() : c.Source.Vaults);
        Field<NonNullGraphType<LongGraphType>>("registeredDevices").Description("Devices registered with the marketplace.").Resolve(c => c.Source.Market.RegisteredDevices);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatusCountType>>>>("devicesByStatus")
            .Description("Registered devices per marketplace status (IDLE, HIRED, PAUSED, DOWN, FAILED, BLOCKED, UNSUPPORTED, INACTIVE as the registry names them: Idle, Hired, …).")
            .Resolve(c => c.Source.Market.DevicesByStatus.Select(p => new KeyedCount(p.Key, p.Count)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatusCountType>>>>("gpusByModel").Description("GPUs of registered devices per GPU model (catalogue id).")
            .Resolve(c => c.Source.Market.GpusByModel.Select(p => new KeyedCount(p.Key, p.Count)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatusCountType>>>>("devicesByCountry").Description("Registered devices per country (ISO 3166 alpha-2).")
            .Resolve(c => c.Source.Market.DevicesByCountry.Select(p => new KeyedCount(p.Key, p.Count)).ToList());
        Field<LongGraphType>("verifiedSuppliers").Description("Supplier wallets with at least one device found fit to be hired (null before the marketplace registered any device).")
            .Resolve(c => c.Source.Market.VerifiedSuppliers);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MarketPriceType>>>>("marketPrices")
            .Description("Per GPU model (MarketPrice and the order book's MarketBook): best ask, best bid, last fill, 24 h volume.")
            .Resolve(c => c.Source.Market.Prices);
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

/// <summary>A key and how many.</summary>
public sealed record KeyedCount(string Key, long Count);

public sealed class StatusCountType : ObjectGraphType<KeyedCount>
{
    public StatusCountType()
    {
        Name = "KeyedCount";
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<LongGraphType>>("count").Resolve(c => c.Source.Count);
    }
}

public sealed class MarketPriceType : ObjectGraphType<ModelMarket>
{
    public MarketPriceType()
    {
        Name = "MarketPrice";
        Description = "A GPU model's market. Prices are micro-USD per GPU-hour (IOSD base units: 1 IOSD = 1 USD); volume is micro-USD booked.";
        Field<NonNullGraphType<StringGraphType>>("gpuModel").Resolve(c => c.Source.GpuModel);
        Field<UInt64GraphType>("bestAsk").Description("The lowest price of a matchable ask (eligible, not hired); null when none rests.").Resolve(c => c.Source.BestAsk);
        Field<UInt64GraphType>("bestBid").Description("The highest price a resting bid for this model offers; null when none rests.").Resolve(c => c.Source.BestBid);
        Field<UInt64GraphType>("lastFill").Description("GPU-weighted mean price of this model's devices in the latest fill.").Resolve(c => c.Source.LastFill);
        Field<DateTimeOffsetGraphType>("lastFillAt").Resolve(c => c.Source.LastFillAt);
        Field<NonNullGraphType<UInt64GraphType>>("volume24h").Description("Booked in the last 24 hours (whole hour buckets), micro-USD.").Resolve(c => c.Source.Volume24h);
        Field<NonNullGraphType<LongGraphType>>("fills").Resolve(c => c.Source.Fills);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PricePointType>>>>("hourlyPrices")
            .Description("Mean fill price per GPU-hour in each hour with fills (the last 48 hours kept).")
            .Resolve(c => c.Source.HourlyPrices.Select(h => new PricePoint(h.Hour, h.AveragePrice)).ToList());
    }
}

public sealed record PricePoint(DateTimeOffset Hour, ulong Price);

public sealed class PricePointType : ObjectGraphType<PricePoint>
{
    public PricePointType()
    {
        Name = "PricePoint";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("hour").Resolve(c => c.Source.Hour);
        Field<NonNullGraphType<UInt64GraphType>>("price").Resolve(c => c.Source.Price);
    }
}

public sealed class VaultType : ObjectGraphType<VaultCheck>
{
    public VaultType()
    {
        Name = "Vault";
        Description = "A tracked vault (token account) as the Ledger sums it; base units of its mint.";
        Field<NonNullGraphType<StringGraphType>>("address").Resolve(c => c.Source.Vault.Id);
        Field<StringGraphType>("name").Description("Its role (escrow-iosd, treasury, stake, …) where localnet's address file says.").Resolve(c => c.Source.Name);
        Field<StringGraphType>("mint").Resolve(c => c.Source.Vault.Mint);
        Field<NonNullGraphType<UInt64GraphType>>("inflow").Resolve(c => c.Source.Vault.Inflow);
        Field<NonNullGraphType<UInt64GraphType>>("outflow").Resolve(c => c.Source.Vault.Outflow);
        Field<UInt64GraphType>("balance").Description("Inflow less outflow; null where the outflows exceed the inflows (the Ledger cannot state it).").Resolve(c => c.Source.Vault.Balance);
        Field<NonNullGraphType<UInt64GraphType>>("unattributedInflow").Resolve(c => c.Source.Vault.UnattributedInflow);
        Field<NonNullGraphType<UInt64GraphType>>("unattributedOutflow").Resolve(c => c.Source.Vault.UnattributedOutflow);
        Field<NonNullGraphType<IntGraphType>>("inconsistencyCount").Resolve(c => c.Source.Vault.InconsistencyCount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("problems").Description("Empty when the vault adds up.").Resolve(c => c.Source.Problems);
    }
}
