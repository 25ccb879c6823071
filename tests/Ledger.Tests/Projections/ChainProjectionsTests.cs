using IoNet.Ledger.Chain;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;

namespace IoNet.Ledger.Tests.Projections;

public sealed class ChainProjectionsTests(PostgresSchema schema) : IClassFixture<PostgresSchema>
{
    private const string Io = "BZLbGTNCSFfoth2GYDtwr7e4imWzpR5jqcUuGEwr646K";
    private const string Iosd = "IosdMint1111111111111111111111111111111111";
    private const string Usdc = "UsdcMint1111111111111111111111111111111111";
    private const string Buyer = "Buyer11111111111111111111111111111111111111";
    private const string Supplier = "Supp1ier1111111111111111111111111111111111";
    private const string Worker = "Worker1111111111111111111111111111111111111";
    private const string Rental = "Renta1Ref11111111111111111111111111111111111";
    private const string Device = "Device11111111111111111111111111111111111111";

    // One small economy, each transaction a stream keyed by its signature (as the indexer writes it).
    private static readonly (string Signature, IChainEvent[] Events)[] Economy =
    [
        ("sigMintIo", [new TokensMinted("sigMintIo", 10, 1_700_000_000, "0", Io, "ioAta", Buyer, 500_000_000_000)]),
        ("sigBurn", [new TokensBurned("sigBurn", 11, 1_700_000_001, "0", Io, "ioAta", Buyer, 250_000_000)]),
        ("sigCredits", [
            new TokensMinted("sigCredits", 12, null, "1", Iosd, "iosdAta", Buyer, 2_000_000),
            new CreditsPurchased("sigCredits", 12, null, "1", Buyer, "sigBurn", 250_000_000, 2_000_000, "0.80"),
        ]),
        ("sigFund", [new RentalFunded("sigFund", 13, null, "2", Rental, Buyer, Iosd, 1_500_000)]),
        ("sigSettle", [
            new RentalSettled("sigSettle", 14, null, "0", Rental, Supplier, Iosd, 1_000_000),
            new RentalRefunded("sigSettle", 14, null, "1", Rental, Buyer, Iosd, 400_000),
        ]),
        ("sigFundUsdc", [new RentalFunded("sigFundUsdc", 15, null, "0", "OtherRental", Buyer, Usdc, 7)]),
        ("sigReward", [
            new RewardPaid("sigReward", 16, null, "0", 42, Device, Worker, Io, 3_000),
            new RewardPaid("sigReward", 16, null, "2", 42, "Device2", Worker, Io, 5_000),
        ]),
        ("sigReward43", [new RewardPaid("sigReward43", 17, null, "0", 43, Device, Worker, Io, 1_000)]),
        ("sigStake", [new StakeDeposited("sigStake", 18, null, "0", Device, Supplier, Io, 90_000)]),
        ("sigUnstake", [new StakeWithdrawn("sigUnstake", 19, null, "0", Device, Supplier, Io, 10_000)]),
        ("sigSlash", [new StakeSlashed("sigSlash", 20, null, "0", Device, Supplier, Io, 5_000)]),
        ("sigFee", [new FeesBurned("sigFee", 21, null, "0", Io, "treasuryAta", 123)]),
    ];

    private DocumentStore CreateStore(string schemaName, ProjectionLifecycle lifecycle) => DocumentStore.For(o =>
    {
        LedgerStore.ApplyConventions(o, schema.ConnectionString, schemaName);
        LedgerStore.AddChainProjections(o, lifecycle);
    });

    private static async Task AppendEconomy(IDocumentStore store, CancellationToken ct)
    {
        foreach (var (signature, events) in Economy)
        {
            await using var session = store.LightweightSession();
            session.Events.StartStream(signature, events.Cast<object>().ToArray());
            await session.SaveChangesAsync(ct);
        }
    }

    [Fact]
    public async Task every_read_model_adds_up_to_the_base_unit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = CreateStore(schema.Name, ProjectionLifecycle.Inline);
        await AppendEconomy(store, ct);
        await using var q = store.QuerySession();

        var io = await q.LoadAsync<TokenSupply>(Io, ct);
        io.ShouldNotBeNull();
        io.Minted.ShouldBe(500_000_000_000UL);
        io.Burned.ShouldBe(250_000_000UL + 5_000 + 123);
        io.Circulating.ShouldBe(500_000_000_000UL - 250_005_123);
        (await q.LoadAsync<TokenSupply>(Iosd, ct))!.Minted.ShouldBe(2_000_000UL);

        var buyer = await q.LoadAsync<WalletSummary>(Buyer, ct);
        buyer.ShouldNotBeNull();
        buyer.IoBurnedForCredits.ShouldBe(250_000_000UL);
        buyer.IosdBought.ShouldBe(2_000_000UL);
        ShouldMatch(buyer.RentalsPaid, new Dictionary<string, ulong> { [Iosd] = 1_500_000, [Usdc] = 7 });
        buyer.RentalsRefunded[Iosd].ShouldBe(400_000UL);
        var supplier = await q.LoadAsync<WalletSummary>(Supplier, ct);
        supplier!.RentalIncome[Iosd].ShouldBe(1_000_000UL);
        supplier.Staked.ShouldBe(75_000UL);
        supplier.StakeSlashed.ShouldBe(5_000UL);
        (await q.LoadAsync<WalletSummary>(Worker, ct))!.RewardsEarned.ShouldBe(9_000UL);

        var escrow = await q.LoadAsync<RentalEscrow>(Rental, ct);
        escrow.ShouldNotBeNull();
        (escrow.Mint, escrow.Payer, escrow.Funded, escrow.Settled, escrow.Refunded, escrow.Balance)
            .ShouldBe((Iosd, Buyer, 1_500_000UL, 1_000_000UL, 400_000UL, 100_000UL));
        ShouldMatch(escrow.PaidToSuppliers, new Dictionary<string, ulong> { [Supplier] = 1_000_000 });

        var device = await q.LoadAsync<DeviceEarnings>(Device, ct);
        device.ShouldNotBeNull();
        device.Rewards.ShouldBe(4_000UL);
        ShouldMatch(device.RewardsByBlock, new Dictionary<string, ulong> { ["42"] = 3_000, ["43"] = 1_000 });
        (device.Staked, device.Slashed).ShouldBe((75_000UL, 5_000UL));

        var block42 = await q.LoadAsync<RewardBlockPayouts>("42", ct);
        block42!.Total.ShouldBe(8_000UL);
        ShouldMatch(block42.ByDevice, new Dictionary<string, ulong> { [Device] = 3_000, ["Device2"] = 5_000 });

        var totals = await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, ct);
        totals.ShouldNotBeNull();
        (totals.CreditPurchases, totals.IoBurnedForCredits, totals.IosdMintedForCredits, totals.FeesBurned)
            .ShouldBe((1UL, 250_000_000UL, 2_000_000UL, 123UL));
        (totals.RewardsPaid, totals.RewardPayments, totals.Staked, totals.Slashed).ShouldBe((9_000UL, 3UL, 75_000UL, 5_000UL));
        ShouldMatch(totals.RentalsFunded, new Dictionary<string, ulong> { [Iosd] = 1_500_000, [Usdc] = 7 });
        totals.RentalsSettled[Iosd].ShouldBe(1_000_000UL);
        totals.RentalsRefunded[Iosd].ShouldBe(400_000UL);
    }

    private static void ShouldMatch(Dictionary<string, ulong> actual, Dictionary<string, ulong> expected) =>
        actual.OrderBy(kv => kv.Key, StringComparer.Ordinal).ShouldBe(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal));

    [Fact]
    public async Task the_async_daemon_catches_up_to_the_same_totals()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = CreateStore(schema.Another("async"), ProjectionLifecycle.Async);
        await AppendEconomy(store, ct);

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        await daemon.StopAllAsync();

        await using var q = store.QuerySession();
        (await q.LoadAsync<TokenSupply>(Io, ct))!.Circulating.ShouldBe(500_000_000_000UL - 250_005_123);
        (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, ct))!.RewardsPaid.ShouldBe(9_000UL);
        (await q.LoadAsync<RentalEscrow>(Rental, ct))!.Balance.ShouldBe(100_000UL);
    }
}
