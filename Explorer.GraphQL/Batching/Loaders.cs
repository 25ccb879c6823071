using IoNet.Explorer.Reads;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Wallets;

namespace IoNet.Explorer.Batching;

/// <summary>The batch loaders of one GraphQL request (scoped): what nested fields load by key, one statement per level.</summary>
public sealed class Loaders(DeviceReads devices, ClusterReads clusters, RewardBlockReads blocks, WalletReads wallets,
    TransactionReads transactions, PayoutReads payouts, ProofOfWorkReads proofs, SupplyReads supply)
{
    /// <summary>How many of a parent's events a nested list shows (the full history is the top-level connection's).</summary>
    public const int NestedEvents = 50;

    public BatchLoader<DeviceRow> Devices { get; } = new(devices.LoadManyAsync);

    public BatchLoader<ClusterRow> Clusters { get; } = new(clusters.LoadManyAsync);

    public BatchLoader<RewardBlockPayouts> RewardBlocks { get; } = new(blocks.LoadManyAsync);

    public BatchLoader<WalletSummary> Wallets { get; } = new(wallets.LoadManyAsync);

    public BatchLoader<LedgerTransaction> Transactions { get; } = new(transactions.LoadManyAsync);

    public BatchLoader<List<LedgerEventRecord>> ClusterEvents { get; } = new((ids, ct) => clusters.EventsOfAsync(ids, NestedEvents, ct));

    public BatchLoader<List<Payout>> DevicePayouts { get; } = new((ids, ct) => payouts.NewestOfDevicesAsync(ids, NestedEvents, ct));

    public BatchLoader<List<ClusterRow>> DeviceRentals { get; } = new((ids, ct) => devices.RentalsOfAsync(ids, NestedEvents, ct));

    public BatchLoader<List<ProofOfWorkRecord>> DeviceProofs { get; } = new((ids, ct) => proofs.HistoryOfAsync(ids, NestedEvents, ct));

    public BatchLoader<ProofOfWorkStanding> DeviceStandings { get; } = new(proofs.StandingsAsync);

    public BatchLoader<CreditPurchase> PurchasesOfBurns { get; } = new(supply.PurchasesOfBurnsAsync);

    public BatchLoader<List<Payout>> BlockPayouts { get; } = new((ids, ct) => payouts.NewestOfBlocksAsync(ids, NestedEvents, ct));
}
