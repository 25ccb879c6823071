using GraphQL.Types;
using IoNet.Explorer.Live;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Rewards;

namespace IoNet.Explorer.Schema;

/// <summary>Live news over WebSocket (graphql-transport-ws), from the one <see cref="LedgerFeed"/>.</summary>
public sealed class ExplorerSubscription : ObjectGraphType
{
    public ExplorerSubscription()
    {
        Name = "Subscription";
        Field<NonNullGraphType<ChainProgressType>>("newBlocks")
            .Description("The newest slot the indexer has followed, each time it moves (and once at subscription when known).")
            .ResolveStream(c => new WithCurrent<ChainProgress>(() => c.Reads<LedgerFeed>().Last, c.Reads<LedgerFeed>().Heads))
            .Resolve(c => c.Source);
        Field<NonNullGraphType<PayoutType>>("newPayouts").Description("Each payout as the indexer stores it.")
            .ResolveStream(c => c.Reads<LedgerFeed>().Payouts)
            .Resolve(c => (Payout)c.Source!);
        Field<NonNullGraphType<RewardBlockType>>("newRewardBlocks").Description("Each reward block once its first payouts are projected.")
            .ResolveStream(c => c.Reads<LedgerFeed>().RewardBlocks)
            .Resolve(c => (RewardBlockPayouts)c.Source!);
        Field<NonNullGraphType<MarketPriceType>>("priceTicks").Description("Market price changes per GPU model. No data source yet: never sends.")
            .ResolveStream(c => c.Reads<LedgerFeed>().PriceTicks);
    }
}

public sealed class ExplorerSchema : GraphQL.Types.Schema
{
    public ExplorerSchema(IServiceProvider services) : base(services)
    {
        Description = "IoNet Explorer: the network as the chain and the Ledger say. Amounts are base units as decimal strings (UInt64).";
        Query = (IObjectGraphType)services.GetService(typeof(ExplorerQuery))!;
        Subscription = (IObjectGraphType)services.GetService(typeof(ExplorerSubscription))!;
        GraphQL.SchemaExtensions.RegisterType<TokensBurnedType>(this);
        GraphQL.SchemaExtensions.RegisterType<TokensMintedType>(this);
        GraphQL.SchemaExtensions.RegisterType<FeesBurnedType>(this);
        GraphQL.SchemaExtensions.RegisterType<CreditsPurchasedType>(this);
        GraphQL.SchemaExtensions.RegisterType<RentalFundedType>(this);
        GraphQL.SchemaExtensions.RegisterType<RentalSettledType>(this);
        GraphQL.SchemaExtensions.RegisterType<RentalRefundedType>(this);
        GraphQL.SchemaExtensions.RegisterType<RewardPaidType>(this);
        GraphQL.SchemaExtensions.RegisterType<StakeDepositedType>(this);
        GraphQL.SchemaExtensions.RegisterType<StakeWithdrawnType>(this);
        GraphQL.SchemaExtensions.RegisterType<StakeSlashedType>(this);
        GraphQL.SchemaExtensions.RegisterType<AnchorEventObservedType>(this);
        GraphQL.SchemaExtensions.RegisterType<CreditsRequestedType>(this);
        GraphQL.SchemaExtensions.RegisterType<VaultDepositedType>(this);
        GraphQL.SchemaExtensions.RegisterType<VaultWithdrawnType>(this);
        GraphQL.SchemaExtensions.RegisterType<TransactionUnreadableType>(this);
    }
}
