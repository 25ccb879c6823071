using IoNet.Ledger.Chain;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Vaults;
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
    private const string EscrowIosd = "EscrowIosdVau1t111111111111111111111111111";
    private const string EscrowUsdc = "EscrowUsdcVau1t111111111111111111111111111";
    private const string Treasury = "TreasuryVau1t11111111111111111111111111111";
    private const string Stake = "StakeVau1t11111111111111111111111111111111";

    // One small economy, each transaction a stream keyed by its signature (as the indexer writes it).
    private static readonly (string Signature, IChainEvent[] Events)[] Economy =
    [
        ("sigMintIo", [new TokensMinted("sigMintIo", 10, 1_700_000_000, "0", Io, "ioAta", Buyer, 500_000_000_000)]),
        ("sigBurn", [new TokensBurned("sigBurn", 11, 1_700_000_001, "0", Io, "ioAta", Buyer, 250_000_000)]),
        ("sigCredits", [
            new TokensMinted("sigCredits", 12, null, "1", Iosd, "iosdAta", Buyer, 2_000_000),
            new CreditsPurchased("sigCredits", 12, null, "1", Buyer, "sigBurn", 250_000_000, 2_000_000, "0.80"),
        ]),
        ("sigFund", [new RentalFunded("sigFund", 13, null, "2", Rental, Buyer, Iosd, 1_500_000, EscrowIosd)]),
        ("sigSettle", [
            new RentalSettled("sigSettle", 14, null, "0", Rental, Supplier, Iosd, 1_000_000, EscrowIosd),
            new RentalRefunded("sigSettle", 14, null, "1", Rental, Buyer, Iosd, 400_000, EscrowIosd),
        ]),
        ("sigFundUsdc", [new RentalFunded("sigFundUsdc", 15, null, "0", "OtherRental", Buyer, Usdc, 7, EscrowUsdc)]),
        ("sigReward", [
            new RewardPaid("sigReward", 16, null, "0", 42, Device, Worker, Io, 3_000, Treasury),
            new RewardPaid("sigReward", 16, null, "2", 42, "Device2", Worker, Io, 5_000, Treasury),
        ]),
        ("sigReward43", [new RewardPaid("sigReward43", 17, null, "0", 43, Device, Worker, Io, 1_000, Treasury)]),
        ("sigStake", [new StakeDeposited("sigStake", 18, null, "0", Device, Supplier, Io, 90_000, Stake)]),
        ("sigUnstake", [new StakeWithdrawn("sigUnstake", 19, null, "0", Device, Supplier, Io, 10_000, Stake)]),
        ("sigSlash", [new StakeSlashed("sigSlash", 20, null, "0", Device, Supplier, Io, 5_000, Stake)]),
        ("sigFee", [new FeesBurned("sigFee", 21, null, "0", Io, Treasury, 123)]),
        ("sigGenesis", [
            new TokensMinted("sigGenesis", 9, null, "0", Io, Treasury, "TreasuryAuthority", 1_000_000),
            new VaultDeposited("sigGenesis", 9, null, "0", Treasury, Io, Io, 1_000_000, "MintToChecked"),
        ]),
        ("sigGift", [new VaultDeposited("sigGift", 22, null, "1", EscrowIosd, Iosd, "someAta", 250, "Transfer")]),
        ("sigSweep", [new VaultWithdrawn("sigSweep", 23, null, "0", EscrowIosd, Iosd, "otherAta", 50, "Transfer")]),
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
        io.Minted.ShouldBe(500_001_000_000UL);
        io.Burned.ShouldBe(250_000_000UL + 5_000 + 123);
        io.Circulating.ShouldBe(500_001_000_000UL - 250_005_123);
        (await q.LoadAsync<TokenSupply>(Iosd, ct))!.Minted.ShouldBe(2_000_000UL);

        var buyer = await q.LoadAsync<WalletSummary>(Buyer, ct);
        buyer.ShouldNotBeNull();
        buyer.IoBurnedForCredits.ShouldBe(250_000_000UL);
        buyer.IosdBought.ShouldBe(2_000_000UL);
        ShouldMatch(buyer.RentalsPaid, new Dictionary<string, ulong> { [Iosd] = 1_500_000, [Usdc] = 7 });
        buyer.RentalsRefunded[Iosd].ShouldBe(400_000UL);
        var supplier = await q.LoadAsync<WalletSummary>(Supplier, ct);
        supplier!.RentalIncome[Iosd].ShouldBe(1_000_000UL);
        (supplier.StakeDeposits, supplier.StakeWithdrawals, supplier.Staked).ShouldBe((90_000UL, 10_000UL, (ulong?)75_000UL));
        supplier.StakeSlashed.ShouldBe(5_000UL);
        (await q.LoadAsync<WalletSummary>(Worker, ct))!.RewardsEarned.ShouldBe(9_000UL);

        var escrow = await q.LoadAsync<RentalEscrow>(Rental, ct);
        escrow.ShouldNotBeNull();
        (escrow.Mint, escrow.Payer, escrow.Funded, escrow.Settled, escrow.Refunded, escrow.Balance)
            .ShouldBe((Iosd, Buyer, 1_500_000UL, 1_000_000UL, 400_000UL, (ulong?)100_000UL));
        ShouldMatch(escrow.PaidToSuppliers, new Dictionary<string, ulong> { [Supplier] = 1_000_000 });

        var device = await q.LoadAsync<DeviceEarnings>(Device, ct);
        device.ShouldNotBeNull();
        device.Rewards.ShouldBe(4_000UL);
        ShouldMatch(device.RewardsByBlock, new Dictionary<string, ulong> { ["42"] = 3_000, ["43"] = 1_000 });
        (device.Staked, device.Slashed).ShouldBe(((ulong?)75_000UL, 5_000UL));

        var block42 = await q.LoadAsync<RewardBlockPayouts>("42", ct);
        block42!.Total.ShouldBe(8_000UL);
        ShouldMatch(block42.ByDevice, new Dictionary<string, ulong> { [Device] = 3_000, ["Device2"] = 5_000 });

        var totals = await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, ct);
        totals.ShouldNotBeNull();
        (totals.CreditPurchases, totals.IoBurnedForCredits, totals.IosdMintedForCredits, totals.FeesBurned)
            .ShouldBe((1UL, 250_000_000UL, 2_000_000UL, 123UL));
        (totals.RewardsPaid, totals.RewardPayments, totals.Staked, totals.Slashed).ShouldBe((9_000UL, 3UL, (ulong?)75_000UL, 5_000UL));
        ShouldMatch(totals.RentalsFunded, new Dictionary<string, ulong> { [Iosd] = 1_500_000, [Usdc] = 7 });
        totals.RentalsSettled[Iosd].ShouldBe(1_000_000UL);
        totals.RentalsRefunded[Iosd].ShouldBe(400_000UL);

        // Every vault from every movement, with or without a flow.
        var vaults = (await q.Query<VaultBalance>().ToListAsync(ct)).ToDictionary(v => v.Id);
        vaults.Keys.Order(StringComparer.Ordinal).ShouldBe(new[] { EscrowIosd, EscrowUsdc, Stake, Treasury }.Order(StringComparer.Ordinal));
        (vaults[EscrowIosd].Inflow, vaults[EscrowIosd].Outflow, vaults[EscrowIosd].Balance).ShouldBe((1_500_250UL, 1_400_050UL, (ulong?)100_200UL));
        (vaults[EscrowIosd].UnattributedInflow, vaults[EscrowIosd].UnattributedOutflow).ShouldBe((250UL, 50UL));
        vaults[EscrowUsdc].Balance.ShouldBe(7UL);
        (vaults[Treasury].Inflow, vaults[Treasury].Outflow, vaults[Treasury].Balance).ShouldBe((1_000_000UL, 9_123UL, (ulong?)990_877UL));
        (vaults[Stake].Inflow, vaults[Stake].Outflow, vaults[Stake].Balance, vaults[Stake].Mint).ShouldBe((90_000UL, 15_000UL, (ulong?)75_000UL, Io));
        (await q.Query<TokenSupply>().ToListAsync(ct)).ShouldAllBe(d => d.InconsistencyCount == 0);
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
        (await q.LoadAsync<TokenSupply>(Io, ct))!.Circulating.ShouldBe(500_001_000_000UL - 250_005_123);
        (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, ct))!.RewardsPaid.ShouldBe(9_000UL);
        (await q.LoadAsync<RentalEscrow>(Rental, ct))!.Balance.ShouldBe(100_000UL);
    }

    [Fact]
    public async Task an_amount_that_would_overflow_a_sum_is_recorded_on_the_document_and_the_daemon_goes_on()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = CreateStore(schema.Another("overflow"), ProjectionLifecycle.Async);
        (string, IChainEvent[])[] overflowing =
        [
            ("sigHuge1", [new TokensMinted("sigHuge1", 1, null, "0", Io, "a", Buyer, ulong.MaxValue - 5)]),
            ("sigHuge2", [new TokensMinted("sigHuge2", 2, null, "3", Io, "a", Buyer, 10)]),
            ("sigHuge3", [new StakeDeposited("sigHuge3", 3, null, "0", Device, Supplier, Io, ulong.MaxValue, Stake),
                          new StakeDeposited("sigHuge3", 3, null, "1", Device, Supplier, Io, 1, Stake)]),
            ("sigAfter", [new TokensMinted("sigAfter", 4, null, "0", Iosd, "b", Buyer, 42)]),
        ];
        foreach (var (signature, events) in overflowing)
        {
            await using var session = store.LightweightSession();
            session.Events.StartStream(signature, events.Cast<object>().ToArray());
            await session.SaveChangesAsync(ct);
        }

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await daemon.StopAllAsync();

        await using var q = store.QuerySession();
        var io = (await q.LoadAsync<TokenSupply>(Io, ct))!;
        // The sum stays at its last true value; the event that would wrap it around is recorded, never applied.
        io.Minted.ShouldBe(ulong.MaxValue - 5);
        io.InconsistencyCount.ShouldBe(1);
        io.Inconsistencies.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            i => i.Signature.ShouldBe("sigHuge2"), i => i.Path.ShouldBe("3"), i => i.Event.ShouldBe(nameof(TokensMinted)),
            i => i.Message.ShouldContain("does not fit in u64"));
        (await q.LoadAsync<WalletSummary>(Supplier, ct))!.InconsistencyCount.ShouldBe(1);
        (await q.LoadAsync<DeviceEarnings>(Device, ct))!.StakeDeposits.ShouldBe(ulong.MaxValue);
        (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, ct))!.InconsistencyCount.ShouldBe(1);
        (await q.LoadAsync<VaultBalance>(Stake, ct))!.InconsistencyCount.ShouldBe(1);
        // Events after the overflow were projected: the daemon did not stop on it.
        (await q.LoadAsync<TokenSupply>(Iosd, ct))!.Minted.ShouldBe(42UL);
        (await q.Query<TokenSupply>().Where(d => d.InconsistencyCount > 0).ToListAsync(ct)).Select(d => d.Id).ShouldBe([Io]);
    }

    [Fact]
    public async Task events_out_of_chain_order_give_the_same_totals_and_a_difference_reads_as_null_only_while_below_zero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = CreateStore(schema.Another("order"), ProjectionLifecycle.Inline);
        // Backfill stores the newest page first: the unstake and slash arrive before the stake they spend.
        async Task Append(string signature, IChainEvent e)
        {
            await using var session = store.LightweightSession();
            session.Events.StartStream(signature, e);
            await session.SaveChangesAsync(ct);
        }
        await Append("sigSlash", new StakeSlashed("sigSlash", 30, null, "0", Device, Supplier, Io, 5, Stake));
        await Append("sigUnstake", new StakeWithdrawn("sigUnstake", 20, null, "0", Device, Supplier, Io, 10, Stake));
        await using (var q = store.QuerySession())
        {
            var early = (await q.LoadAsync<WalletSummary>(Supplier, ct))!;
            (early.Staked, early.InconsistencyCount).ShouldBe(((ulong?)null, 0));
            (await q.LoadAsync<VaultBalance>(Stake, ct))!.Balance.ShouldBeNull();
        }
        await Append("sigStake", new StakeDeposited("sigStake", 10, null, "0", Device, Supplier, Io, 100, Stake));
        await using (var q = store.QuerySession())
        {
            (await q.LoadAsync<WalletSummary>(Supplier, ct))!.Staked.ShouldBe(85UL);
            (await q.LoadAsync<DeviceEarnings>(Device, ct))!.Staked.ShouldBe(85UL);
            (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, ct))!.Staked.ShouldBe(85UL);
            (await q.LoadAsync<VaultBalance>(Stake, ct))!.Balance.ShouldBe(85UL);
        }
    }
}
