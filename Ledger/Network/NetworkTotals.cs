using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using Marten.Events.Projections;

namespace IoNet.Ledger.Network;

/// <summary>The whole network's totals in one document (id "network"); amounts in base units, per mint where mints mix.</summary>
public sealed class NetworkTotals
{
    public const string DocumentId = "network";

    public string Id { get; set; } = DocumentId;
    public ulong CreditPurchases { get; set; }
    public ulong IoBurnedForCredits { get; set; }
    public ulong IosdMintedForCredits { get; set; }
    public ulong FeesBurned { get; set; }
    public Dictionary<string, ulong> RentalsFunded { get; set; } = [];
    public Dictionary<string, ulong> RentalsSettled { get; set; } = [];
    public Dictionary<string, ulong> RentalsRefunded { get; set; } = [];
    public ulong RewardsPaid { get; set; }
    public ulong RewardPayments { get; set; }
    public ulong Staked { get; set; }
    public ulong Slashed { get; set; }
}

public sealed class NetworkTotalsProjection : MultiStreamProjection<NetworkTotals, string>
{
    public NetworkTotalsProjection()
    {
        Identity<CreditsPurchased>(_ => NetworkTotals.DocumentId);
        Identity<FeesBurned>(_ => NetworkTotals.DocumentId);
        Identity<RentalFunded>(_ => NetworkTotals.DocumentId);
        Identity<RentalSettled>(_ => NetworkTotals.DocumentId);
        Identity<RentalRefunded>(_ => NetworkTotals.DocumentId);
        Identity<RewardPaid>(_ => NetworkTotals.DocumentId);
        Identity<StakeDeposited>(_ => NetworkTotals.DocumentId);
        Identity<StakeWithdrawn>(_ => NetworkTotals.DocumentId);
        Identity<StakeSlashed>(_ => NetworkTotals.DocumentId);
    }

    public static void Apply(CreditsPurchased e, NetworkTotals view)
    {
        view.CreditPurchases++;
        view.IoBurnedForCredits += e.IoBurned;
        view.IosdMintedForCredits += e.IosdMinted;
    }

    public static void Apply(FeesBurned e, NetworkTotals view) => view.FeesBurned += e.Amount;

    public static void Apply(RentalFunded e, NetworkTotals view) => Tally.Add(view.RentalsFunded, e.Mint, e.Amount);

    public static void Apply(RentalSettled e, NetworkTotals view) => Tally.Add(view.RentalsSettled, e.Mint, e.Amount);

    public static void Apply(RentalRefunded e, NetworkTotals view) => Tally.Add(view.RentalsRefunded, e.Mint, e.Amount);

    public static void Apply(RewardPaid e, NetworkTotals view)
    {
        view.RewardsPaid += e.Amount;
        view.RewardPayments++;
    }

    public static void Apply(StakeDeposited e, NetworkTotals view) => view.Staked += e.Amount;

    public static void Apply(StakeWithdrawn e, NetworkTotals view) => view.Staked -= e.Amount;

    public static void Apply(StakeSlashed e, NetworkTotals view)
    {
        view.Staked -= e.Amount;
        view.Slashed += e.Amount;
    }
}
