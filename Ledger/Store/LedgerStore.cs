using IoNet.Ledger.Anchor;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Vaults;
using IoNet.Ledger.Wallets;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace IoNet.Ledger.Store;

/// <summary>The store conventions of ARCHITECTURE.md, in one place for every service and test.</summary>
public static class LedgerStore
{
    public const string DefaultSchema = "ionet";

    /// <summary>Environment variable that names the PostgreSQL server (an Npgsql connection string).</summary>
    public const string ConnectionVariable = "IONET_DB";

    public static void ApplyConventions(StoreOptions options, string connectionString, string schema = DefaultSchema)
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.All;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.Quick;
        // Event ids are deterministic (signature + instruction path): a replay then stores nothing twice.
        options.Events.EnableUniqueIndexOnEventId = true;
    }

    /// <summary>
    /// Registers every chain event type and the read models built from them. Async (the daemon, HotCold) in the
    /// services; tests may ask for Inline to read the result in the same call.
    /// </summary>
    public static void AddChainProjections(StoreOptions options, ProjectionLifecycle lifecycle = ProjectionLifecycle.Async)
    {
        AddChainEventTypes(options);
        options.Projections.Add<TokenSupplyProjection>(lifecycle, Batched);
        options.Projections.Add<WalletSummaryProjection>(lifecycle, Batched);
        options.Projections.Add<RentalEscrowProjection>(lifecycle, Batched);
        options.Projections.Add<DeviceEarningsProjection>(lifecycle, Batched);
        options.Projections.Add<RewardBlockPayoutsProjection>(lifecycle, Batched);
        options.Projections.Add<NetworkTotalsProjection>(lifecycle, Batched);
        options.Projections.Add<VaultBalanceProjection>(lifecycle, Batched);
    }

    /// <summary>
    /// Registers every chain event type without their read models: for a service that reads what the indexer wrote
    /// (the marketplace's subscriptions) while the indexer's daemon keeps the projections.
    /// </summary>
    public static void AddChainEventTypes(StoreOptions options) =>
        options.Events.AddEventTypes([
            typeof(TokensBurned), typeof(TokensMinted), typeof(FeesBurned), typeof(CreditsPurchased), typeof(CreditsRequested),
            typeof(RentalFunded), typeof(RentalSettled), typeof(RentalRefunded), typeof(RewardPaid),
            typeof(StakeDeposited), typeof(StakeWithdrawn), typeof(StakeSlashed), typeof(AnchorEventObserved),
            typeof(VaultDeposited), typeof(VaultWithdrawn), typeof(TransactionUnreadable),
        ]);

    /// <summary>
    /// Registers the marketplace's own events (not chain events: they carry the time they happened) and the read models
    /// a request must read back at once (inline). Every service that reads or writes marketplace streams calls this.
    /// </summary>
    public static void AddMarketplaceProjections(StoreOptions options)
    {
        options.Events.AddEventTypes([
            typeof(DeviceRegistered), typeof(DevicePaused), typeof(DeviceResumed), typeof(DeviceStatusChanged),
            typeof(DeviceEligibilityChanged),
        ]);
        options.Projections.Snapshot<Device>(SnapshotLifecycle.Inline);
        options.Schema.For<Device>().Index(d => d.Owner);
        AddMarketEvents(options);
        options.Events.AddEventTypes([
            typeof(RentalMatched), typeof(RentalPaymentReceived), typeof(RentalActivated), typeof(RentalExtensionRequested),
            typeof(RentalExtended), typeof(RentalExtensionLapsed), typeof(RentalLapsed), typeof(RentalEnded),
            typeof(RentalDeviceUnavailable), typeof(RentalDeviceAvailable), typeof(RentalSettlementDecided),
            typeof(RentalSettlementCompleted),
        ]);
        options.Projections.Snapshot<Rental>(SnapshotLifecycle.Inline);
        options.Schema.For<Rental>().Index(r => r.Buyer);
    }

    /// <summary>
    /// The order book's journal (Ledger/Market: one stream, <see cref="MarketJournalStream"/>, in the order the engine
    /// decided) and the market prices the explorer reads (<see cref="MarketPrice"/>, async: the daemon of the
    /// marketplace process keeps it), with the book's resting orders (<see cref="MarketBook"/>: best ask and bid per model).
    /// </summary>
    public static void AddMarketEvents(StoreOptions options, ProjectionLifecycle prices = ProjectionLifecycle.Async)
    {
        options.Events.AddEventTypes([
            typeof(AskPlaced), typeof(BidPlaced), typeof(OrderCancelled), typeof(BidFilled), typeof(BidExpired),
            typeof(AskExpired), typeof(AskEligibilityChanged), typeof(DevicesReleased),
        ]);
        options.Projections.Add<MarketPriceProjection>(prices, Batched);
        options.Projections.Add<MarketBookProjection>(prices, Batched);
    }

    /// <summary>The key of the order book's journal stream.</summary>
    public const string MarketJournalStream = "market-book";

    // Measured here: daemon catch-up ~3k events/s at the default batch size, ~27k/s at 5000 (STACK-NOTES.md).
    private static void Batched(AsyncOptions options) => options.BatchSize = 5000;

    /// <summary>IONET_DB first, then ConnectionStrings:Ledger from configuration.</summary>
    public static string ResolveConnectionString(IConfiguration configuration) =>
        configuration[ConnectionVariable] is { Length: > 0 } fromEnvironment ? fromEnvironment
        : configuration.GetConnectionString("Ledger") is { Length: > 0 } fromSettings ? fromSettings
        : throw new InvalidOperationException(
            $"No database configured: set {ConnectionVariable} or ConnectionStrings:Ledger (./ionet up does this for you).");

    /// <summary>True when the server answers a trivial query within the token's time.</summary>
    public static async Task<bool> PingAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
