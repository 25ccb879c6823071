using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using Marten.Events.Projections;

namespace IoNet.Ledger.Wallets;

/// <summary>What one wallet did on the network, in base units; rental amounts per mint (IOSD, IO or USDC).</summary>
public sealed class WalletSummary : CheckedReadModel
{
    public string Id { get; set; } = "";
    public ulong IoBurnedForCredits { get; set; }
    public ulong IosdBought { get; set; }
    public Dictionary<string, ulong> RentalsPaid { get; set; } = [];
    public Dictionary<string, ulong> RentalsRefunded { get; set; } = [];
    public Dictionary<string, ulong> RentalIncome { get; set; } = [];
    public ulong RewardsEarned { get; set; }
    public ulong StakeDeposits { get; set; }
    public ulong StakeWithdrawals { get; set; }
    public ulong StakeSlashed { get; set; }

    /// <summary>Deposited less withdrawn and slashed; null while those exceed the deposits (see <see cref="CheckedReadModel"/>).</summary>
    public ulong? Staked => Remaining(StakeDeposits, StakeWithdrawals, StakeSlashed);
}

public sealed class WalletSummaryProjection : MultiStreamProjection<WalletSummary, string>
{
    public WalletSummaryProjection()
    {
        Identity<CreditsPurchased>(e => e.Buyer);
        Identity<RentalFunded>(e => e.Payer);
        Identity<RentalRefunded>(e => e.Buyer);
        Identity<RentalSettled>(e => e.Supplier);
        Identity<RewardPaid>(e => e.Worker);
        Identity<StakeDeposited>(e => e.Staker);
        Identity<StakeWithdrawn>(e => e.Staker);
        Identity<StakeSlashed>(e => e.Staker);
    }

    public static void Apply(CreditsPurchased e, WalletSummary view)
    {
        view.IoBurnedForCredits = view.Add(e, view.IoBurnedForCredits, e.IoBurned, "IO burned for credits");
        view.IosdBought = view.Add(e, view.IosdBought, e.IosdMinted, "IOSD bought");
    }

    public static void Apply(RentalFunded e, WalletSummary view) => view.Add(e, view.RentalsPaid, e.Mint, e.Amount, "rentals paid");

    public static void Apply(RentalRefunded e, WalletSummary view) => view.Add(e, view.RentalsRefunded, e.Mint, e.Amount, "rentals refunded");

    public static void Apply(RentalSettled e, WalletSummary view) => view.Add(e, view.RentalIncome, e.Mint, e.Amount, "rental income");

    public static void Apply(RewardPaid e, WalletSummary view) => view.RewardsEarned = view.Add(e, view.RewardsEarned, e.Amount, "rewards earned");

    public static void Apply(StakeDeposited e, WalletSummary view) => view.StakeDeposits = view.Add(e, view.StakeDeposits, e.Amount, "stake deposits");

    public static void Apply(StakeWithdrawn e, WalletSummary view) => view.StakeWithdrawals = view.Add(e, view.StakeWithdrawals, e.Amount, "stake withdrawals");

    public static void Apply(StakeSlashed e, WalletSummary view) => view.StakeSlashed = view.Add(e, view.StakeSlashed, e.Amount, "stake slashed");
}
