using IoNet.Indexer.Crawling;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Store;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;

namespace IoNet.Indexer.Tests.Crawling;

/// <summary>
/// Flows executed on the real localnet, crawled into a real PostgreSQL: the read models equal what the chain itself
/// says (token supply, vault balances), and crawling again stores nothing twice. Each test class gets its own localnet.
/// </summary>
public abstract class LocalnetCrawlTest(LocalnetChain chain, PostgresSchema schema) : IClassFixture<LocalnetChain>, IClassFixture<PostgresSchema>
{
    protected LocalnetChain Chain => chain;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual IEnumerable<TrackedSource> Sources()
    {
        var net = chain.Network;
        yield return new("mint:io", net.Io.Address);
        yield return new("mint:iosd", net.Iosd.Address);
        yield return new("vault:escrow-iosd", net.EscrowVault(net.Iosd));
        yield return new("vault:treasury", net.TreasuryVault);
        yield return new("vault:stake", net.StakeVault);
    }

    /// <summary>A store with inline projections in its own schema, the sources' leases held, and a crawler writing to it.</summary>
    protected async Task<(DocumentStore Store, SourceCrawler Crawler, List<string> Log)> Indexer(
        string name, IoNet.Solana.Rpc.SolanaRpcClient? rpc = null, CrawlerOptions? options = null)
    {
        var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, schema.Another(name));
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Inline);
        });
        // Held by the test without a keeper renewing it: it must outlast the slowest crawl of a loaded CI machine (a
        // 30 s lease expired mid-crawl there and the next append was refused as a lost lease, correctly).
        var leases = new SourceLeases(schema.ConnectionString, schema.Another(name), TimeSpan.FromMinutes(10));
        await leases.EnsureSchemaAsync(Ct);
        foreach (var source in Sources())
            (await leases.TryAcquireAsync(source.Name, "test", Ct)).ShouldBeTrue();
        var log = new List<string>();
        var crawler = new SourceCrawler(rpc ?? chain.Rpc, new ChainEventWriter(store, leases), chain.Network,
            options ?? new CrawlerOptions { PageSize = 7, FetchBatchSize = 3, AppendBatchSize = 5, BackfillBatchSize = 5 }, line => { lock (log) log.Add(line); });
        return (store, crawler, log);
    }

    protected async Task CrawlAll(DocumentStore store, SourceCrawler crawler)
    {
        foreach (var source in Sources())
        {
            await using var session = store.LightweightSession();
            var checkpoint = await session.LoadAsync<SourceCheckpoint>(source.Name, Ct) ?? new SourceCheckpoint { Id = source.Name };
            while (!checkpoint.BackfillDone)
                await crawler.BackfillStepAsync(source, "test", checkpoint, Ct);
            await crawler.FollowAsync(source, "test", checkpoint, Ct);
        }
    }

    protected async Task<ulong> ChainSupply(MintInfo mint) =>
        (await chain.Rpc.GetTokenSupplyAsync(mint.Address.ToString(), cancellationToken: Ct)).Value.BaseUnits;
}

/// <summary>
/// The economy counts network-wide totals, so nothing else writes to its localnet (a class's tests run in no fixed order).
/// </summary>
public sealed class CrawlerOnLocalnetTests(LocalnetChain chain, PostgresSchema schema) : LocalnetCrawlTest(chain, schema)
{
    [Fact]
    public async Task an_economy_on_chain_is_indexed_exactly_and_a_second_crawl_adds_nothing()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var escrow = Chain.Authority("escrow");
        var stake = Chain.Authority("stake");
        var iosdAuthority = Chain.Authority("iosd");
        var buyer = await Chain.NewWalletAsync(ct: Ct);
        var supplier = await Chain.NewWalletAsync(ct: Ct);
        var device = Guid.NewGuid();
        var rental = Guid.NewGuid();

        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, buyer.PublicKey, 7, device, 10_00000000), [treasury], Ct);
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, supplier.PublicKey, 7, device, 4_00000000), [treasury], Ct);
        var burn = await Chain.ExecuteAsync(buyer, IoNetFlows.BuyCredits(buyer.PublicKey, net.Io, 3_00000000, 750_000), [buyer], Ct);
        await Chain.ExecuteAsync(iosdAuthority, IoNetFlows.MintCredits(iosdAuthority.PublicKey, net.Iosd, buyer.PublicKey,
            Signature.Parse(burn.Transaction!.Signatures![0]), 3_00000000, 750_000), [iosdAuthority], Ct);
        await Chain.ExecuteAsync(buyer, IoNetFlows.FundRental(buyer.PublicKey, net.Iosd, escrow.PublicKey, rental, 2_000_000), [buyer], Ct);
        await Chain.ExecuteAsync(escrow, IoNetFlows.SettleRental(escrow.PublicKey, net.Iosd, rental, [(supplier.PublicKey, 1_500_000)], buyer.PublicKey, 100_000), [escrow], Ct);
        await Chain.ExecuteAsync(supplier, IoNetFlows.Stake(supplier.PublicKey, net.Io, stake.PublicKey, device, 2_00000000), [supplier], Ct);
        await Chain.ExecuteAsync(stake, IoNetFlows.Slash(stake.PublicKey, net.Io, device, supplier.PublicKey, 25000000), [stake], Ct);
        await Chain.ExecuteAsync(treasury, IoNetFlows.FeeBurn(treasury.PublicKey, net.Io, "2026-11", 999), [treasury], Ct);
        // A failed transaction moves nothing and must record nothing.
        var failed = await Chain.SignAsync(buyer, IoNetFlows.FundRental(buyer.PublicKey, net.Iosd, escrow.PublicKey, Guid.NewGuid(), 999_000_000), [buyer], Ct);
        await Chain.Rpc.SendTransactionAsync(failed, new IoNet.Solana.Rpc.SendTransactionOptions { SkipPreflight = true }, Ct);

        var (store, crawler, log) = await Indexer("economy");
        await using var _ = store;
        await CrawlAll(store, crawler);

        await using (var q = store.QuerySession())
        {
            (await q.LoadAsync<TokenSupply>(net.Io.Address.ToString(), Ct))!.Circulating.ShouldBe(await ChainSupply(net.Io));
            (await q.LoadAsync<TokenSupply>(net.Iosd.Address.ToString(), Ct))!.Circulating.ShouldBe(await ChainSupply(net.Iosd));
            var escrowView = await q.LoadAsync<RentalEscrow>(rental.ToString("N"), Ct);
            (escrowView!.Funded, escrowView.Settled, escrowView.Refunded, escrowView.Balance).ShouldBe((2_000_000UL, 1_500_000UL, 100_000UL, (ulong?)400_000UL));
            var buyerView = await q.LoadAsync<WalletSummary>(buyer.PublicKey.ToString(), Ct);
            (buyerView!.IoBurnedForCredits, buyerView.IosdBought, buyerView.RewardsEarned).ShouldBe((3_00000000UL, 2_250_000UL, 10_00000000UL));
            var supplierView = await q.LoadAsync<WalletSummary>(supplier.PublicKey.ToString(), Ct);
            (supplierView!.Staked, supplierView.StakeSlashed, supplierView.RentalIncome[net.Iosd.Address.ToString()]).ShouldBe(((ulong?)1_75000000UL, 25000000UL, 1_500_000UL));
            var totals = await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct);
            (totals!.RewardsPaid, totals.FeesBurned, totals.Slashed).ShouldBe((14_00000000UL, 999UL, 25000000UL));
        }

        // Crawl again from scratch (checkpoints dropped): every transaction is found again and stored once.
        await using (var session = store.LightweightSession())
        {
            session.DeleteWhere<SourceCheckpoint>(_ => true);
            await session.SaveChangesAsync(Ct);
        }
        await CrawlAll(store, crawler);
        await using (var q = store.QuerySession())
        {
            (await q.LoadAsync<TokenSupply>(net.Io.Address.ToString(), Ct))!.Circulating.ShouldBe(await ChainSupply(net.Io));
            (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct))!.RewardsPaid.ShouldBe(14_00000000UL);
        }
    }
}

/// <summary>
/// Following on its own chain: the economy test above counts network-wide totals, so nothing else may write to its
/// localnet (xunit runs a class's tests in no fixed order).
/// </summary>
public sealed class FollowOnLocalnetTests(LocalnetChain chain, PostgresSchema schema) : LocalnetCrawlTest(chain, schema)
{
    [Fact]
    public async Task following_picks_up_only_what_came_after_the_checkpoint()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var worker = await Chain.NewWalletAsync(ct: Ct);
        var (store, crawler, _) = await Indexer("follow");
        await using var __ = store;
        await CrawlAll(store, crawler);

        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 99, Guid.NewGuid(), 123_456), [treasury], Ct);
        var source = Sources().Single(s => s.Name == "vault:treasury");
        await using var session = store.LightweightSession();
        var checkpoint = (await session.LoadAsync<SourceCheckpoint>(source.Name, Ct))!;
        var result = await crawler.FollowAsync(source, "test", checkpoint, Ct);

        result.Transactions.ShouldBe(1);
        result.Appended.ShouldBe(1);
        await using var q = store.QuerySession();
        (await q.LoadAsync<WalletSummary>(worker.PublicKey.ToString(), Ct))!.RewardsEarned.ShouldBe(123_456UL);
    }

    [Fact]
    public async Task a_sources_start_slot_leaves_older_transactions_out_of_the_backfill()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var (early, late) = (await Chain.NewWalletAsync(ct: Ct), await Chain.NewWalletAsync(ct: Ct));
        var first = await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, early.PublicKey, 5, Guid.NewGuid(), 1_000), [treasury], Ct);
        while (await Chain.Rpc.GetSlotAsync(cancellationToken: Ct) <= first.Slot)
            await Task.Delay(50, Ct);
        var second = await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, late.PublicKey, 6, Guid.NewGuid(), 2_000), [treasury], Ct);
        second.Slot.ShouldBeGreaterThan(first.Slot);

        var (store, crawler, _) = await Indexer("start");
        await using var __ = store;
        var source = Sources().Single(s => s.Name == "vault:treasury") with { StartSlot = second.Slot };
        var checkpoint = new SourceCheckpoint { Id = source.Name };
        while (!checkpoint.BackfillDone)
            await crawler.BackfillStepAsync(source, "test", checkpoint, Ct);

        await using var q = store.QuerySession();
        (await q.LoadAsync<WalletSummary>(early.PublicKey.ToString(), Ct)).ShouldBeNull();
        (await q.LoadAsync<WalletSummary>(late.PublicKey.ToString(), Ct))!.RewardsEarned.ShouldBe(2_000UL);
    }

    [Fact]
    public async Task a_memo_that_does_not_fit_its_transfer_is_counted_and_logged_and_the_movement_is_still_recorded()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var donor = await Chain.NewWalletAsync(ct: Ct);
        var (store, crawler, log) = await Indexer("unknown");
        await using var __ = store;
        await CrawlAll(store, crawler);

        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, donor.PublicKey, 8, Guid.NewGuid(), 5_000), [treasury], Ct);
        // A rental's funding memo on a transfer into the treasury: no IoNet flow, so a report, and an unattributed deposit.
        var gift = await Chain.ExecuteAsync(donor, [
            IoNet.Programs.Memo.MemoInstruction.Of(new FundMemo(Guid.NewGuid()).Text, donor.PublicKey).Build(),
            new IoNet.Programs.Token.Transfer(net.Io.AccountOf(donor.PublicKey), net.TreasuryVault, donor.PublicKey, 1_234).Build()], [donor], Ct);
        // Without any memo it is no unknown at all: just an unattributed deposit.
        await Chain.ExecuteAsync(donor, [new IoNet.Programs.Token.Transfer(net.Io.AccountOf(donor.PublicKey), net.TreasuryVault, donor.PublicKey, 66).Build()], [donor], Ct);
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, donor.PublicKey, 9, Guid.NewGuid(), 6_000), [treasury], Ct);

        var source = Sources().Single(s => s.Name == "vault:treasury");
        SourceCheckpoint checkpoint;
        await using (var session = store.LightweightSession())
            checkpoint = (await session.LoadAsync<SourceCheckpoint>(source.Name, Ct))!;
        var before = await VaultAsync(store, net.TreasuryVault);
        var result = await crawler.FollowAsync(source, "test", checkpoint, Ct);

        (result.Transactions, result.Unknown).ShouldBe((4, 1));
        var signature = gift.Transaction!.Signatures![0];
        lock (log)
            log.ShouldContain(line => line.StartsWith("unknown ", StringComparison.Ordinal) && line.Contains(signature, StringComparison.Ordinal) && line.Contains("1234", StringComparison.Ordinal));
        await using var q = store.QuerySession();
        (await q.LoadAsync<WalletSummary>(donor.PublicKey.ToString(), Ct))!.RewardsEarned.ShouldBe(11_000UL);
        var after = await VaultAsync(store, net.TreasuryVault);
        (after.UnattributedInflow - before.UnattributedInflow, after.Outflow - before.Outflow).ShouldBe((1_300UL, 11_000UL));
        after.Balance.ShouldBe(await Chain.TokenBalanceAsync(net.TreasuryVault, Ct));
    }

    [Fact]
    public async Task a_transaction_the_node_cannot_serve_holds_the_checkpoint_until_it_is_stored_and_is_never_skipped()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var worker = await Chain.NewWalletAsync(ct: Ct);
        await using var proxy = await FaultProxy.StartAsync(Chain.Process.RpcUrl, Chain.Process.WebsocketUrl, cancellationToken: Ct);
        using var rpc = new IoNet.Solana.Rpc.SolanaRpcClient(proxy.RpcUrl);
        var (store, crawler, log) = await Indexer("held", rpc);
        await using var __ = store;
        await CrawlAll(store, crawler);
        var source = Sources().Single(s => s.Name == "vault:treasury");
        var stored = (await LoadAsync(store, source.Name))!;

        var paid = await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 77, Guid.NewGuid(), 4_321), [treasury], Ct);
        var signature = paid.Transaction!.Signatures![0];
        proxy.Set(FaultKind.BlockNotAvailable, probability: 1);
        // More passes than the 10 after which the crawler used to skip such a transaction for good.
        for (var pass = 1; pass <= 12; pass++)
        {
            var result = await crawler.FollowAsync(source, "test", (await LoadAsync(store, source.Name))!, Ct);
            result.Interrupted.ShouldBeTrue();
            (result.Waiting!.Signature, result.Waiting.Attempts).ShouldBe((signature, pass));
            var checkpoint = (await LoadAsync(store, source.Name))!;
            (checkpoint.NewestSignature, checkpoint.NewestSlot).ShouldBe((stored.NewestSignature, stored.NewestSlot), "the checkpoint holds");
            (checkpoint.Waiting!.Signature, checkpoint.Waiting.Attempts).ShouldBe((signature, pass));
            checkpoint.Waiting.Reason.ShouldContain("-32004");
        }
        await using (var q = store.QuerySession())
            (await q.LoadAsync<WalletSummary>(worker.PublicKey.ToString(), Ct)).ShouldBeNull();
        var problems = await ProblemsAsync(store);
        problems.ShouldHaveSingleItem().ShouldContain($"source {source.Name} waits for {signature}");
        lock (log)
            log.ShouldNotContain(line => line.StartsWith("skipped", StringComparison.Ordinal));

        proxy.Clear(FaultKind.BlockNotAvailable);
        var served = await crawler.FollowAsync(source, "test", (await LoadAsync(store, source.Name))!, Ct);
        (served.Interrupted, served.Appended).ShouldBe((false, 1));
        var after = (await LoadAsync(store, source.Name))!;
        (after.NewestSignature, after.Waiting).ShouldBe((signature, null));
        await using (var q = store.QuerySession())
            (await q.LoadAsync<WalletSummary>(worker.PublicKey.ToString(), Ct))!.RewardsEarned.ShouldBe(4_321UL);
        (await ProblemsAsync(store)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_one_shot_crawl_gives_up_on_a_transaction_the_node_cannot_serve_with_its_checkpoint_below_it()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var worker = await Chain.NewWalletAsync(ct: Ct);
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 78, Guid.NewGuid(), 1_111), [treasury], Ct);
        await using var proxy = await FaultProxy.StartAsync(Chain.Process.RpcUrl, Chain.Process.WebsocketUrl, cancellationToken: Ct);
        using var rpc = new IoNet.Solana.Rpc.SolanaRpcClient(proxy.RpcUrl);
        var (store, crawler, _) = await Indexer("giveup", rpc, new CrawlerOptions
        {
            PageSize = 7, FetchBatchSize = 3, AppendBatchSize = 5, BackfillBatchSize = 5, MaxUnavailableAttempts = 3, UnavailableRetryDelay = TimeSpan.FromMilliseconds(10),
        });
        await using var __ = store;
        var source = Sources().Single(s => s.Name == "vault:treasury");
        proxy.Set(FaultKind.SlotSkipped, probability: 1);

        var checkpoint = new SourceCheckpoint { Id = source.Name };
        var gaveUp = await Should.ThrowAsync<TransactionUnavailableException>(() => crawler.CrawlToEndAsync(source, "test", checkpoint, null, Ct));
        gaveUp.Message.ShouldContain("Nothing was skipped");
        gaveUp.Waiting.Attempts.ShouldBe(3);
        var held = (await LoadAsync(store, source.Name))!;
        (held.BackfillDone, held.OldestSignature, held.Waiting!.Signature).ShouldBe((false, null, gaveUp.Waiting.Signature));

        proxy.Clear(FaultKind.SlotSkipped);
        (await crawler.CrawlToEndAsync(source, "test", held, null, Ct)).ShouldBeGreaterThan(0);
        var done = (await LoadAsync(store, source.Name))!;
        (done.BackfillDone, done.Waiting).ShouldBe((true, null));
        await using var q = store.QuerySession();
        (await q.LoadAsync<WalletSummary>(worker.PublicKey.ToString(), Ct))!.RewardsEarned.ShouldBe(1_111UL);
    }

    private static async Task<SourceCheckpoint?> LoadAsync(DocumentStore store, string source)
    {
        await using var q = store.QuerySession();
        return await q.LoadAsync<SourceCheckpoint>(source, Ct);
    }

    private async Task<IReadOnlyList<string>> ProblemsAsync(DocumentStore store)
    {
        await using var q = store.QuerySession();
        return await IoNet.Indexer.Reports.LedgerProblems.FindAsync(q, Chain.Network, Ct);
    }

    private static async Task<IoNet.Ledger.Vaults.VaultBalance> VaultAsync(DocumentStore store, PublicKey vault)
    {
        await using var q = store.QuerySession();
        return await q.LoadAsync<IoNet.Ledger.Vaults.VaultBalance>(vault.ToString(), Ct) ?? new IoNet.Ledger.Vaults.VaultBalance();
    }

    [Fact]
    public async Task a_malformed_transaction_from_the_node_is_counted_and_logged_with_its_signature_and_the_crawl_goes_on()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var worker = await Chain.NewWalletAsync(ct: Ct);
        await using var proxy = await FaultProxy.StartAsync(Chain.Process.RpcUrl, Chain.Process.WebsocketUrl, cancellationToken: Ct);
        using var rpc = new IoNet.Solana.Rpc.SolanaRpcClient(proxy.RpcUrl);
        var (store, crawler, log) = await Indexer("malformed", rpc);
        await using var __ = store;
        await CrawlAll(store, crawler);

        var bad = await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 1, Guid.NewGuid(), 700), [treasury], Ct);
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 2, Guid.NewGuid(), 800), [treasury], Ct);
        var signature = bad.Transaction!.Signatures![0];
        proxy.Corrupt(signature);

        var source = Sources().Single(s => s.Name == "vault:treasury");
        SourceCheckpoint checkpoint;
        await using (var session = store.LightweightSession())
            checkpoint = (await session.LoadAsync<SourceCheckpoint>(source.Name, Ct))!;
        var result = await crawler.FollowAsync(source, "test", checkpoint, Ct);

        proxy.Injected(FaultKind.CorruptTransaction).ShouldBe(1);
        (result.Transactions, result.Unknown).ShouldBe((2, 1));
        lock (log)
            log.ShouldContain(line => line.StartsWith($"unknown {signature}: malformed transaction", StringComparison.Ordinal));
        await using var q = store.QuerySession();
        (await q.LoadAsync<WalletSummary>(worker.PublicKey.ToString(), Ct))!.RewardsEarned.ShouldBe(800UL);
    }
}
