using GraphQL;
using GraphQL.Types;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Wallets;

namespace IoNet.Explorer.Schema;

public sealed class WalletType : ObjectGraphType<WalletSummary>
{
    public WalletType()
    {
        Name = "Wallet";
        Description = "What one wallet did on the network (WalletSummary), with its payouts, credit purchases, burns and rentals.";
        Field<NonNullGraphType<StringGraphType>>("address").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<UInt64GraphType>>("ioBurnedForCredits").Resolve(c => c.Source.IoBurnedForCredits);
        Field<NonNullGraphType<UInt64GraphType>>("iosdBought").Resolve(c => c.Source.IosdBought);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MintAmountType>>>>("rentalsPaid").Resolve(c => MintAmountType.From(c.Source.RentalsPaid));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MintAmountType>>>>("rentalsRefunded").Resolve(c => MintAmountType.From(c.Source.RentalsRefunded));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MintAmountType>>>>("rentalIncome").Resolve(c => MintAmountType.From(c.Source.RentalIncome));
        Field<NonNullGraphType<UInt64GraphType>>("rewardsEarned").Resolve(c => c.Source.RewardsEarned);
        Field<NonNullGraphType<UInt64GraphType>>("staked").Resolve(c => c.Source.Staked);
        Field<NonNullGraphType<UInt64GraphType>>("stakeSlashed").Resolve(c => c.Source.StakeSlashed);
        this.ConnectionField<WalletSummary, PayoutType>("payouts", "Payouts to this wallet.")
            .Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<PayoutReads>().PageAsync(new PayoutFilter(Wallet: c.Source.Id), c.Page(EventReads.CursorKind), c.NewestFirst(), c.CancellationToken)).ToConnection());
        this.ConnectionField<WalletSummary, CreditPurchaseType>("credits", "Credits this wallet bought.")
            .Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<SupplyReads>().CreditsAsync(new SupplyFilter(Owner: c.Source.Id), c.Page(EventReads.CursorKind), c.NewestFirst(), c.CancellationToken)).ToConnection());
        this.ConnectionField<WalletSummary, BurnType>("burns", "Burns from this wallet's token accounts and slashes of its stake.")
            .Argument<EventOrderType>("orderBy")
            .ResolveAsync(async c => (await c.Reads<SupplyReads>().BurnsAsync(new SupplyFilter(Owner: c.Source.Id), c.Page(EventReads.CursorKind), c.NewestFirst(), c.CancellationToken)).ToConnection());
        this.ConnectionField<WalletSummary, ClusterType>("clusters", "Rentals this wallet paid for.")
            .ResolveAsync(async c => (await c.Reads<ClusterReads>().PageAsync(new ClusterFilter(Payer: c.Source.Id), ClusterOrderBy.Id, c.Page(DocumentReads.CursorKind), c.CancellationToken)).ToConnection());
    }
}
