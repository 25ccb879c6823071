namespace IoNet.TestSupport;

// ---------- the expectation model: what the script did, keyed as the projections key their documents ----------

/// <summary>Per mint (base58): minted and burned since genesis, base units; genesis supply counts as minted.</summary>
public sealed record MintExpectation
{
    public ulong Minted { get; set; }
    public ulong Burned { get; set; }
    public ulong Circulating => Minted - Burned;
}

/// <summary>Per vault token account (base58): its balance before the script, what came in and went out since.</summary>
public sealed record VaultExpectation(string Name, string Mint, ulong Initial)
{
    public ulong In { get; set; }
    public ulong Out { get; set; }
    public ulong Balance => Initial + In - Out;
}

/// <summary>Per wallet (base58), as WalletSummary: rental sums per mint (base58).</summary>
public sealed record WalletExpectation
{
    public ulong IoBurnedForCredits { get; set; }
    public ulong IosdBought { get; set; }
    public Dictionary<string, ulong> RentalsPaid { get; } = [];
    public Dictionary<string, ulong> RentalsRefunded { get; } = [];
    public Dictionary<string, ulong> RentalIncome { get; } = [];
    public ulong RewardsEarned { get; set; }
    public ulong Staked { get; set; }
    public ulong StakeSlashed { get; set; }
}

/// <summary>Per rental (Guid "N"), as RentalEscrow.</summary>
public sealed record RentalExpectation(string Mint, string Payer)
{
    public ulong Funded { get; set; }
    public ulong Settled { get; set; }
    public ulong Refunded { get; set; }
    public Dictionary<string, ulong> PaidToSuppliers { get; } = [];
    public ulong Balance => Funded - Settled - Refunded;
}

/// <summary>Per device (Guid "N"), as DeviceEarnings: rewards by block number (decimal string).</summary>
public sealed record DeviceExpectation
{
    public ulong Rewards { get; set; }
    public Dictionary<string, ulong> RewardsByBlock { get; } = [];
    public ulong Staked { get; set; }
    public ulong Slashed { get; set; }
}

/// <summary>Per reward block (decimal string), as RewardBlockPayouts: by device (Guid "N").</summary>
public sealed record RewardBlockExpectation
{
    public ulong Total { get; set; }
    public Dictionary<string, ulong> ByDevice { get; } = [];
}

/// <summary>The network, as NetworkTotals; rental sums per mint (base58).</summary>
public sealed record NetworkExpectation
{
    public ulong CreditPurchases { get; set; }
    public ulong IoBurnedForCredits { get; set; }
    public ulong IosdMintedForCredits { get; set; }
    public ulong FeesBurned { get; set; }
    public Dictionary<string, ulong> RentalsFunded { get; } = [];
    public Dictionary<string, ulong> RentalsSettled { get; } = [];
    public Dictionary<string, ulong> RentalsRefunded { get; } = [];
    public ulong RewardsPaid { get; set; }
    public ulong RewardPayments { get; set; }
    public ulong Staked { get; set; }
    public ulong Slashed { get; set; }
}

/// <summary>How many of each thing the script sent (for the test's report and sanity checks).</summary>
public sealed record EconomyCounts
{
    public int Operations { get; set; }
    public int Transactions { get; set; }
    public int FailedTransactions { get; set; }
    public int V0Transactions { get; set; }
    public int PlainTransfers { get; set; }
    public int PlainTransfersBetweenWallets { get; set; }
    public int CreditPurchases { get; set; }
    public int Fundings { get; set; }
    public int Settlements { get; set; }
    public int Rewards { get; set; }
    public int Stakes { get; set; }
    public int Unstakes { get; set; }
    public int Slashes { get; set; }
    public int FeeBurns { get; set; }
}

/// <summary>The script's own account of everything it did; nothing here is read from the chain or the indexer.</summary>
public sealed class EconomyModel
{
    public Dictionary<string, MintExpectation> Mints { get; } = [];
    public Dictionary<string, VaultExpectation> Vaults { get; } = [];
    public Dictionary<string, WalletExpectation> Wallets { get; } = [];
    public Dictionary<string, RentalExpectation> Rentals { get; } = [];
    public Dictionary<string, DeviceExpectation> Devices { get; } = [];
    public Dictionary<string, RewardBlockExpectation> RewardBlocks { get; } = [];
    public NetworkExpectation Network { get; } = new();
    public EconomyCounts Counts { get; } = new();
}

/// <summary>What the chain itself says now: supply per mint and balance per vault (base58 keys, base units).</summary>
public sealed record ChainTotals(IReadOnlyDictionary<string, ulong> Supply, IReadOnlyDictionary<string, ulong> VaultBalances);
