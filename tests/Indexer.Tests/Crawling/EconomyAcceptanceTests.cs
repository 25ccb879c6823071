using System.Diagnostics;
using IoNet.Indexer.Crawling;
using IoNet.Indexer.Reports;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;
using IoNet.TestSupport;
using Marten;

namespace IoNet.Indexer.Tests.Crawling;

/// <summary>
/// Acceptance: a scripted economy of hundreds of operations on its own localnet (credit purchases, rentals funded with
/// TransferChecked and plain Transfers, settlements, refunds, rewards over several blocks, stakes, unstakes, slashes,
/// fee burns, failed transactions, v0 transactions through a lookup table, plain transfers between wallets) is crawled
/// into PostgreSQL with inline projections, and every read model equals the script's own account of what it did, to
/// the base unit; the script's account equals the chain's; the ledger report verifies against the chain.
/// Nothing else writes to this class's localnet.
/// </summary>
public sealed class EconomyAcceptanceTests(LocalnetChain chain, PostgresSchema schema) : LocalnetCrawlTest(chain, schema)
{
    /// <summary>The base's sources and the IO escrow vault (the economy funds rentals in IO too).</summary>
    protected override IEnumerable<TrackedSource> Sources()
    {
        var net = Chain.Network;
        yield return new("mint:io", net.Io.Address);
        yield return new("mint:iosd", net.Iosd.Address);
        yield return new("vault:escrow-iosd", net.EscrowVault(net.Iosd));
        yield return new("vault:escrow-io", net.EscrowVault(net.Io));
        yield return new("vault:treasury", net.TreasuryVault);
        yield return new("vault:stake", net.StakeVault);
    }

    [Fact]
    public async Task every_read_model_equals_the_scripted_economy_to_the_base_unit()
    {
        var net = Chain.Network;
        var script = new EconomyScript(Chain, new EconomyOptions { Operations = 300 });
        var model = await script.RunAsync(Ct);
        var counts = model.Counts;
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"economy: {counts} in {script.Elapsed.TotalSeconds:F1} s");

        // The script did what it says it covers.
        counts.Operations.ShouldBeGreaterThanOrEqualTo(300);
        counts.FailedTransactions.ShouldBeGreaterThan(0);
        counts.V0Transactions.ShouldBeGreaterThan(0);
        counts.PlainTransfersBetweenWallets.ShouldBeGreaterThan(0);
        (counts.PlainTransfers - counts.PlainTransfersBetweenWallets).ShouldBeGreaterThan(0);
        (counts.CreditPurchases, counts.Fundings, counts.Settlements, counts.Stakes, counts.Unstakes, counts.Slashes, counts.FeeBurns)
            .ShouldSatisfyAllConditions(c => c.CreditPurchases.ShouldBeGreaterThan(0), c => c.Fundings.ShouldBeGreaterThan(0),
                c => c.Settlements.ShouldBeGreaterThan(0), c => c.Stakes.ShouldBeGreaterThan(0), c => c.Unstakes.ShouldBeGreaterThan(0),
                c => c.Slashes.ShouldBeGreaterThan(0), c => c.FeeBurns.ShouldBeGreaterThan(0));
        model.RewardBlocks.Count.ShouldBeGreaterThan(2);
        model.Rentals.Values.ShouldContain(r => r.Balance == 0);
        model.Rentals.Values.ShouldContain(r => r.Balance > 0);

        // The model equals the chain.
        var onChain = await script.ChainTotalsAsync(Ct);
        foreach (var (mint, supply) in onChain.Supply)
            model.Mints[mint].Circulating.ShouldBe(supply, $"supply of {mint}");
        foreach (var (vault, balance) in onChain.VaultBalances)
            model.Vaults[vault].Balance.ShouldBe(balance, $"balance of vault {model.Vaults[vault].Name}");

        // Crawl it all into Marten with inline projections.
        var clock = Stopwatch.StartNew();
        var (store, crawler, log) = await Indexer("economy",
            options: new CrawlerOptions { PageSize = 50, FetchBatchSize = 25, AppendBatchSize = 40, BackfillBatchSize = 40 });
        await using var _ = store;
        await CrawlAll(store, crawler);
        output?.WriteLine($"crawled in {clock.Elapsed.TotalSeconds:F1} s");

        await using var q = store.QuerySession();

        foreach (var (mint, expected) in model.Mints)
        {
            var supply = await q.LoadAsync<TokenSupply>(mint, Ct);
            supply.ShouldNotBeNull(mint);
            (supply.Minted, supply.Burned).ShouldBe((expected.Minted, expected.Burned), $"TokenSupply {mint}");
        }

        var wallets = (await q.Query<WalletSummary>().ToListAsync(Ct)).ToDictionary(w => w.Id);
        wallets.Keys.Order().ShouldBe(model.Wallets.Keys.Order(), "the wallets with a summary");
        foreach (var (id, w) in model.Wallets)
        {
            var doc = wallets[id];
            (doc.IoBurnedForCredits, doc.IosdBought, doc.RewardsEarned, doc.Staked, doc.StakeSlashed)
                .ShouldBe((w.IoBurnedForCredits, w.IosdBought, w.RewardsEarned, (ulong?)w.Staked, w.StakeSlashed), $"WalletSummary {id}");
            Sorted(doc.RentalsPaid).ShouldBe(Sorted(w.RentalsPaid), $"WalletSummary {id} RentalsPaid");
            Sorted(doc.RentalsRefunded).ShouldBe(Sorted(w.RentalsRefunded), $"WalletSummary {id} RentalsRefunded");
            Sorted(doc.RentalIncome).ShouldBe(Sorted(w.RentalIncome), $"WalletSummary {id} RentalIncome");
        }

        var rentals = (await q.Query<RentalEscrow>().ToListAsync(Ct)).ToDictionary(r => r.Id);
        rentals.Keys.Order().ShouldBe(model.Rentals.Keys.Order(), "the rentals");
        foreach (var (id, r) in model.Rentals)
        {
            var doc = rentals[id];
            (doc.Mint, doc.Payer, doc.Funded, doc.Settled, doc.Refunded, doc.Balance)
                .ShouldBe((r.Mint, r.Payer, r.Funded, r.Settled, r.Refunded, (ulong?)r.Balance), $"RentalEscrow {id}");
            Sorted(doc.PaidToSuppliers).ShouldBe(Sorted(r.PaidToSuppliers), $"RentalEscrow {id} PaidToSuppliers");
        }

        var devices = (await q.Query<DeviceEarnings>().ToListAsync(Ct)).ToDictionary(d => d.Id);
        devices.Keys.Order().ShouldBe(model.Devices.Keys.Order(), "the devices");
        foreach (var (id, d) in model.Devices)
        {
            var doc = devices[id];
            (doc.Rewards, doc.Staked, doc.Slashed).ShouldBe((d.Rewards, (ulong?)d.Staked, d.Slashed), $"DeviceEarnings {id}");
            Sorted(doc.RewardsByBlock).ShouldBe(Sorted(d.RewardsByBlock), $"DeviceEarnings {id} RewardsByBlock");
        }

        var blocks = (await q.Query<RewardBlockPayouts>().ToListAsync(Ct)).ToDictionary(b => b.Id);
        blocks.Keys.Order().ShouldBe(model.RewardBlocks.Keys.Order(), "the reward blocks");
        foreach (var (id, b) in model.RewardBlocks)
        {
            blocks[id].Total.ShouldBe(b.Total, $"RewardBlockPayouts {id}");
            Sorted(blocks[id].ByDevice).ShouldBe(Sorted(b.ByDevice), $"RewardBlockPayouts {id} ByDevice");
        }

        var totals = await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct);
        totals.ShouldNotBeNull();
        var n = model.Network;
        (totals.CreditPurchases, totals.IoBurnedForCredits, totals.IosdMintedForCredits, totals.FeesBurned)
            .ShouldBe((n.CreditPurchases, n.IoBurnedForCredits, n.IosdMintedForCredits, n.FeesBurned), "NetworkTotals credits and fees");
        (totals.RewardsPaid, totals.RewardPayments, totals.Staked, totals.Slashed)
            .ShouldBe((n.RewardsPaid, n.RewardPayments, (ulong?)n.Staked, n.Slashed), "NetworkTotals rewards and stake");
        Sorted(totals.RentalsFunded).ShouldBe(Sorted(n.RentalsFunded), "NetworkTotals RentalsFunded");
        Sorted(totals.RentalsSettled).ShouldBe(Sorted(n.RentalsSettled), "NetworkTotals RentalsSettled");
        Sorted(totals.RentalsRefunded).ShouldBe(Sorted(n.RentalsRefunded), "NetworkTotals RentalsRefunded");

        // The ledger report agrees with the model and verifies against the chain.
        var report = await LedgerReports.BuildAsync(store, net, Ct);
        foreach (var (mint, expected) in model.Mints)
            report.Mints[mint].Supply.ShouldBe(S(expected.Circulating));
        // Every tracked vault is listed; the escrow, treasury and stake vaults hold what the model says they do.
        report.Vaults.Values.Select(v => v.Name).ShouldBe(["escrow-iosd", "escrow-io", "escrow-usdc", "treasury", "stake"]);
        foreach (var (vault, expected) in model.Vaults)
            report.Vaults[vault].Balance.ShouldBe(S(expected.Balance), $"report: balance of vault {expected.Name}");
        report.Problems.ShouldBeEmpty();
        report.RewardsByWallet.OrderBy(p => p.Key, StringComparer.Ordinal)
            .ShouldBe(model.Wallets.Where(w => w.Value.RewardsEarned > 0).Select(w => KeyValuePair.Create(w.Key, S(w.Value.RewardsEarned))).OrderBy(p => p.Key, StringComparer.Ordinal));
        var verify = await LedgerReports.VerifyAsync(report, Chain.Rpc, net, Ct);
        verify.Where(l => !l.Agrees).ShouldBeEmpty();
        output?.WriteLine($"total {script.Elapsed.TotalSeconds + clock.Elapsed.TotalSeconds:F1} s; {log.Count} crawler log lines");
    }

    private static List<KeyValuePair<string, ulong>> Sorted(Dictionary<string, ulong> sums) => [.. sums.OrderBy(p => p.Key, StringComparer.Ordinal)];

    private static string S(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
