using IoNet.Indexer.Crawling;
using IoNet.Indexer.Reports;
using IoNet.Ledger.Vaults;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;
using Marten;

namespace IoNet.Indexer.Tests.Crawling;

/// <summary>
/// Tokens moved into and out of every tracked vault without an IoNet flow — plain Transfer and TransferChecked without
/// a memo, a memo that does not fit, a mint straight into a vault, a withdrawal and a burn by a vault's authority, a
/// failed transaction — next to ordinary flows, on the real localnet: the Ledger's vault balances, the report and
/// verify agree with the chain to the base unit. Nothing else writes to this class's localnet.
/// </summary>
public sealed class VaultMovementsOnLocalnetTests(LocalnetChain chain, PostgresSchema schema) : LocalnetCrawlTest(chain, schema)
{
    /// <summary>Every source the indexer tracks: the three mints and the five vaults.</summary>
    protected override IEnumerable<TrackedSource> Sources()
    {
        var net = Chain.Network;
        foreach (var (name, address) in new[] { ("mint:io", net.Io.Address), ("mint:iosd", net.Iosd.Address), ("mint:usdc", net.Usdc.Address) })
            yield return new(name, address);
        foreach (var (name, account, _) in LedgerReports.TrackedVaults(net))
            yield return new($"vault:{name}", account);
    }

    [Fact]
    public async Task movements_into_and_out_of_vaults_without_a_flow_are_in_the_ledger_and_verify_agrees_with_the_chain()
    {
        var net = Chain.Network;
        var (treasury, escrow, stake, iosdAuthority, usdcAuthority) =
            (Chain.Authority("treasury"), Chain.Authority("escrow"), Chain.Authority("stake"), Chain.Authority("iosd"), Chain.Authority("usdc"));
        var buyer = await Chain.NewWalletAsync(ct: Ct);
        var device = Guid.NewGuid();
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, buyer.PublicKey, 1, device, 50_00000000), [treasury], Ct);
        var burn = await Chain.ExecuteAsync(buyer, IoNetFlows.BuyCredits(buyer.PublicKey, net.Io, 5_00000000, 1_000_000), [buyer], Ct);
        await Chain.ExecuteAsync(iosdAuthority, IoNetFlows.MintCredits(iosdAuthority.PublicKey, net.Iosd, buyer.PublicKey,
            Signature.Parse(burn.Transaction!.Signatures![0]), 5_00000000, 1_000_000), [iosdAuthority], Ct);

        // Into the vaults, no flow: a plain Transfer and a TransferChecked without memo, and a memo that does not fit.
        var gift = await Chain.ExecuteAsync(buyer, [new Transfer(net.Io.AccountOf(buyer.PublicKey), net.EscrowVault(net.Io), buyer.PublicKey, 3_00000000).Build()], [buyer], Ct);
        await Chain.ExecuteAsync(buyer, [new TransferChecked(net.Iosd.AccountOf(buyer.PublicKey), net.Iosd.Address, net.EscrowVault(net.Iosd), buyer.PublicKey, 1_250_000, 6).Build()], [buyer], Ct);
        await Chain.ExecuteAsync(buyer, [
            MemoInstruction.Of(new StakeMemo(device).Text, buyer.PublicKey).Build(),
            new Transfer(net.Io.AccountOf(buyer.PublicKey), net.TreasuryVault, buyer.PublicKey, 7_777).Build()], [buyer], Ct);
        await Chain.ExecuteAsync(usdcAuthority, [new MintToChecked(net.Usdc.Address, net.EscrowVault(net.Usdc), usdcAuthority.PublicKey, 99_000_000, 6).Build()], [usdcAuthority], Ct);
        // Out of the vaults, no flow: the escrow authority sends IO back without a memo and burns IOSD from the vault.
        await Chain.ExecuteAsync(escrow, [new Transfer(net.EscrowVault(net.Io), net.Io.AccountOf(buyer.PublicKey), escrow.PublicKey, 1_00000000).Build()], [escrow], Ct);
        await Chain.ExecuteAsync(escrow, [new BurnChecked(net.EscrowVault(net.Iosd), net.Iosd.Address, escrow.PublicKey, 250_000, 6).Build()], [escrow], Ct);
        // Ordinary flows next to them.
        var rental = Guid.NewGuid();
        await Chain.ExecuteAsync(buyer, IoNetFlows.FundRental(buyer.PublicKey, net.Iosd, escrow.PublicKey, rental, 2_000_000), [buyer], Ct);
        await Chain.ExecuteAsync(escrow, IoNetFlows.SettleRental(escrow.PublicKey, net.Iosd, rental, [(buyer.PublicKey, 1_500_000)], buyer.PublicKey, 100_000), [escrow], Ct);
        await Chain.ExecuteAsync(buyer, IoNetFlows.Stake(buyer.PublicKey, net.Io, stake.PublicKey, device, 10_00000000), [buyer], Ct);
        await Chain.ExecuteAsync(buyer, [new Transfer(net.Io.AccountOf(buyer.PublicKey), net.StakeVault, buyer.PublicKey, 12_345).Build()], [buyer], Ct);
        // A failed transaction into a vault moves nothing.
        var failed = await Chain.SignAsync(buyer, [new Transfer(net.Io.AccountOf(buyer.PublicKey), net.StakeVault, buyer.PublicKey, 1_000_000_00000000).Build()], [buyer], Ct);
        var failedSignature = await Chain.Rpc.SendTransactionAsync(failed, new SendTransactionOptions { SkipPreflight = true }, Ct);
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, buyer.PublicKey, 2, device, 1), [treasury], Ct);

        var (store, crawler, log) = await Indexer("vaults");
        await using var __ = store;
        await CrawlAll(store, crawler);
        // The node's balances before and after each transaction agree with the movements recorded from its instructions.
        lock (log)
            log.ShouldNotContain(line => line.Contains("balance change", StringComparison.Ordinal));
        var giftBalances = TransactionDecoder.Decode(gift).TokenBalanceChanges!;
        (giftBalances[net.EscrowVault(net.Io)].Post - giftBalances[net.EscrowVault(net.Io)].Pre).ShouldBe(3_00000000UL);

        var report = await LedgerReports.BuildAsync(store, net, Ct);
        report.Problems.ShouldBeEmpty();
        report.Vaults.Count.ShouldBe(5);
        foreach (var (name, account, _) in LedgerReports.TrackedVaults(net))
            report.Vaults[account.ToString()].Balance.ShouldBe(S(await Chain.TokenBalanceAsync(account, Ct)), $"vault {name}");
        var escrowIo = report.Vaults[net.EscrowVault(net.Io).ToString()];
        (escrowIo.Name, escrowIo.Inflow, escrowIo.Outflow, escrowIo.UnattributedInflow, escrowIo.UnattributedOutflow)
            .ShouldBe(("escrow-io", "300000000", "100000000", "300000000", "100000000"));
        report.Vaults[net.EscrowVault(net.Usdc).ToString()].Balance.ShouldBe("99000000");
        report.Vaults[net.TreasuryVault.ToString()].UnattributedInflow.ShouldBe(S(10_000_000_000_000_000 + 7_777), "genesis mint and the gift with a stake memo");
        report.Vaults[net.StakeVault.ToString()].UnattributedInflow.ShouldBe("12345");

        var verify = await LedgerReports.VerifyAsync(report, Chain.Rpc, net, Ct);
        verify.Where(l => !l.Agrees).Select(l => l.Text).ShouldBeEmpty();
        verify.Count(l => l.What.StartsWith("vault ", StringComparison.Ordinal)).ShouldBe(5);

        await using var q = store.QuerySession();
        var deposits = await q.Events.QueryRawEventDataOnly<VaultDeposited>().ToListAsync(Ct);
        deposits.ShouldContain(new VaultDeposited(gift.Transaction!.Signatures![0], gift.Slot, gift.BlockTime, "0", net.EscrowVault(net.Io).ToString(),
            net.Io.Address.ToString(), net.Io.AccountOf(buyer.PublicKey).ToString(), 3_00000000, "Transfer"));
        (await q.Events.FetchStreamAsync(failedSignature, token: Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task verify_fails_with_a_clear_error_when_the_node_answers_429_500_or_drops_the_connection()
    {
        var net = Chain.Network;
        var (store, _, _) = await Indexer("verify_faults");
        await using var __ = store;
        var report = await LedgerReports.BuildAsync(store, net, Ct);
        await using var proxy = await FaultProxy.StartAsync(Chain.Process.RpcUrl, Chain.Process.WebsocketUrl, cancellationToken: Ct);
        proxy.RetryAfter = TimeSpan.FromSeconds(1);
        using var rpc = new SolanaRpcClient(proxy.RpcUrl, new SolanaRpcClientOptions
        {
            // The faults are answers (429, 500, reset), never silence: the timeout is only a hang guard. At 1 s a CI machine
            // at load 100 timed out a healthy getTokenSupply before the faulted call was reached.
            MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(50), RequestTimeout = TimeSpan.FromSeconds(30),
        });

        proxy.Set(FaultKind.TooManyRequests, 1, 0, "getAccountInfo");
        var limited = await Should.ThrowAsync<SolanaException>(() => LedgerReports.VerifyAsync(report, rpc, net, Ct));
        limited.Message.ShouldStartWith("verify could not read vault escrow-iosd");
        limited.Message.ShouldContain("HTTP 429");
        proxy.ClearAll();

        proxy.Set(FaultKind.InternalServerError, 1, 0, "getTokenSupply");
        var failing = await Should.ThrowAsync<SolanaException>(() => LedgerReports.VerifyAsync(report, rpc, net, Ct));
        failing.Message.ShouldStartWith($"verify could not read the supply of mint {net.Io.Address}");
        failing.Message.ShouldContain("HTTP 500");
        proxy.ClearAll();

        proxy.Set(FaultKind.ResetBeforeResponse, 1, 0, "getAccountInfo");
        (await Should.ThrowAsync<SolanaException>(() => LedgerReports.VerifyAsync(report, rpc, net, Ct))).Message.ShouldContain("connection failed");
        proxy.ClearAll();

        // Once the node answers, the same check completes.
        (await LedgerReports.VerifyAsync(report, rpc, net, Ct)).ShouldContain(l => l.What.StartsWith("vault stake", StringComparison.Ordinal));
    }

    private static string S(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
