using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using Marten.Events.Projections;

namespace IoNet.Ledger.Wallets;

/// <summary>What one wallet did on the network, in base units; rental amounts per mint (IOSD, IO or USDC).</summary>
public sealed class WalletSummary
{
    public string Id { get; set; } = "";
    public ulong IoBurnedForCredits { get; set; }
    public ulong IosdBought { get; set; }
    public Dictionary<string, ulong> RentalsPaid { get; set; } = [];
    public Dictionary<string, ulong> RentalsRefunded { get; set; } = [];
    public Dictionary<string, ulong> RentalIncome { get; set; } = [];
    public ulong RewardsEarned { get; set; }
    public ulong Staked { get; set; }
    public ulong StakeSlashed { get; set; }
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
        view.IoBurnedForCredits += e.IoBurned;
        view.IosdBought += e.IosdMinted;
    }

    public static void Apply(RentalFunded e, WalletSummary view) => Tally.Add(view.RentalsPaid, e.Mint, e.Amount);

    public static void Apply(RentalRefunded e, WalletSummary view) => Tally.Add(view.RentalsRefunded, e.Mint, e.Amount);

    public static void Apply(RentalSettled e, WalletSummary view) => Tally.Add(view.RentalIncome, e.Mint, e.Amount);

    public static void Apply(RewardPaid e, WalletSummary view) => view.RewardsEarned += e.Amount;

    public static void Apply(StakeDeposited e, WalletSummary view) => view.Staked += e.Amount;

    public static void Apply(StakeWithdrawn e, WalletSummary view) => view.Staked -= e.Amount;

    public static void Apply(StakeSlashed e, WalletSummary view)
    {
        view.Staked -= e.Amount;
        view.StakeSlashed += e.Amount;
    }
}
