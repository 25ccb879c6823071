using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using Marten.Events.Projections;

namespace IoNet.Ledger.Network;

/// <summary>The whole network's totals in one document (id "network"); amounts in base units, per mint where mints mix.</summary>
public sealed class NetworkTotals : CheckedReadModel
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
    public ulong StakeDeposits { get; set; }
    public ulong StakeWithdrawals { get; set; }
    public ulong Slashed { get; set; }

    /// <summary>Deposited less withdrawn and slashed; null while those exceed the deposits (see <see cref="CheckedReadModel"/>).</summary>
    public ulong? Staked => Remaining(StakeDeposits, StakeWithdrawals, Slashed);
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
        view.CreditPurchases = view.Add(e, view.CreditPurchases, 1, "credit purchases");
        view.IoBurnedForCredits = view.Add(e, view.IoBurnedForCredits, e.IoBurned, "IO burned for credits");
        view.IosdMintedForCredits = view.Add(e, view.IosdMintedForCredits, e.IosdMinted, "IOSD minted for credits");
    }

    public static void Apply(FeesBurned e, NetworkTotals view) => view.FeesBurned = view.Add(e, view.FeesBurned, e.Amount, "fees burned");

    public static void Apply(RentalFunded e, NetworkTotals view) => view.Add(e, view.RentalsFunded, e.Mint, e.Amount, "rentals funded");

    public static void Apply(RentalSettled e, NetworkTotals view) => view.Add(e, view.RentalsSettled, e.Mint, e.Amount, "rentals settled");

    public static void Apply(RentalRefunded e, NetworkTotals view) => view.Add(e, view.RentalsRefunded, e.Mint, e.Amount, "rentals refunded");

    public static void Apply(RewardPaid e, NetworkTotals view)
    {
        view.RewardsPaid = view.Add(e, view.RewardsPaid, e.Amount, "rewards paid");
        view.RewardPayments = view.Add(e, view.RewardPayments, 1, "reward payments");
    }

    public static void Apply(StakeDeposited e, NetworkTotals view) => view.StakeDeposits = view.Add(e, view.StakeDeposits, e.Amount, "stake deposits");

    public static void Apply(StakeWithdrawn e, NetworkTotals view) => view.StakeWithdrawals = view.Add(e, view.StakeWithdrawals, e.Amount, "stake withdrawals");

    public static void Apply(StakeSlashed e, NetworkTotals view) => view.Slashed = view.Add(e, view.Slashed, e.Amount, "slashed");
}
