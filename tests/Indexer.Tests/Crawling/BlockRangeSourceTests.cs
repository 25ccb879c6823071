using IoNet.Indexer.Crawling;
using IoNet.Indexer.Store;
using IoNet.Programs.Flows;
using IoNet.TestSupport;
using Marten;
using Npgsql;

namespace IoNet.Indexer.Tests.Crawling;

/// <summary>
/// The block-range source (getBlock over slot ranges) against the address source (getSignaturesForAddress +
/// getTransaction) on one scripted economy: the same Ledger events, stream by stream. Nothing else writes to this
/// class's localnet.
/// </summary>
public sealed class BlockRangeSourceTests(LocalnetChain chain, PostgresSchema schema) : LocalnetCrawlTest(chain, schema)
{
    private readonly PostgresSchema _schema = schema;
    private SourceMode _mode;

    protected override IEnumerable<TrackedSource> Sources()
    {
        var net = Chain.Network;
        yield return new("mint:io", net.Io.Address) { Mode = _mode };
        yield return new("mint:iosd", net.Iosd.Address) { Mode = _mode };
        yield return new("vault:escrow-iosd", net.EscrowVault(net.Iosd)) { Mode = _mode };
        yield return new("vault:escrow-io", net.EscrowVault(net.Io)) { Mode = _mode };
        yield return new("vault:treasury", net.TreasuryVault) { Mode = _mode };
        yield return new("vault:stake", net.StakeVault) { Mode = _mode };
    }

    [Fact]
    public async Task block_range_and_address_sources_index_the_same_economy_to_identical_ledger_events()
    {
        var model = await new EconomyScript(Chain, new EconomyOptions { Operations = 120 }).RunAsync(Ct);
        model.Counts.V0Transactions.ShouldBeGreaterThan(0);
        model.Counts.FailedTransactions.ShouldBeGreaterThan(0);
        await SlotPassedAsync();

        _mode = SourceMode.Signatures;
        var (byAddress, addressCrawler, _) = await Indexer("by_address",
            options: new CrawlerOptions { PageSize = 50, FetchBatchSize = 10, AppendBatchSize = 40, BackfillBatchSize = 40 });
        await using var _1 = byAddress;
        await CrawlAll(byAddress, addressCrawler);

        _mode = SourceMode.Blocks;
        var (byBlocks, blockCrawler, _) = await Indexer("by_blocks", options: new CrawlerOptions { BlockRangeSize = 40, Concurrency = 3 });
        await using var _2 = byBlocks;
        await CrawlAll(byBlocks, blockCrawler);

        var expected = await EventsAsync("by_address");
        var actual = await EventsAsync("by_blocks");
        expected.Count.ShouldBeGreaterThan(100);
        actual.Keys.Order(StringComparer.Ordinal).ShouldBe(expected.Keys.Order(StringComparer.Ordinal));
        foreach (var (signature, events) in expected)
            actual[signature].ShouldBe(events, $"events of {signature}");

        // Both kept going: a new transaction is found by a second pass of each, once.
        var treasury = Chain.Authority("treasury");
        var worker = await Chain.NewWalletAsync(ct: Ct);
        var paid = await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, Chain.Network.Io, worker.PublicKey, 9, Guid.NewGuid(), 1_234), [treasury], Ct);
        await SlotPassedAsync();
        await CrawlAll(byBlocks, blockCrawler);
        await CrawlAll(byBlocks, blockCrawler);
        var again = await EventsAsync("by_blocks");
        again.Count.ShouldBe(actual.Count + 1);
        again.ShouldContainKey(paid.Transaction!.Signatures![0]);
    }

    /// <summary>The node's newest slot is past every transaction sent so far (a block source reads up to the slot before the newest).</summary>
    private async Task SlotPassedAsync()
    {
        var target = await Chain.Rpc.GetSlotAsync(cancellationToken: Ct) + 2;
        while (await Chain.Rpc.GetSlotAsync(cancellationToken: Ct) < target)
            await Task.Delay(50, Ct); // polling the node for the slot itself
    }

    /// <summary>Every stored event of a schema, per stream (signature), in version order: type, id and data.</summary>
    private async Task<Dictionary<string, List<string>>> EventsAsync(string name)
    {
        var events = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            $"select stream_id, type, id::text, data::text from \"{_schema.Another(name)}\".mt_events order by stream_id, version", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            var stream = reader.GetString(0);
            if (!events.TryGetValue(stream, out var list))
                events[stream] = list = [];
            list.Add($"{reader.GetString(1)} {reader.GetString(2)} {reader.GetString(3)}");
        }
        return events;
    }
}

/// <summary>A block-range source on a node that says some slots were skipped and some blocks are not available yet.</summary>
public sealed class BlockRangeSkippedSlotsTests(LocalnetChain chain, PostgresSchema schema) : LocalnetCrawlTest(chain, schema)
{
    private ulong _start;

    protected override IEnumerable<TrackedSource> Sources()
    {
        yield return new("vault:treasury", Chain.Network.TreasuryVault) { Mode = SourceMode.Blocks, StartSlot = _start };
    }

    [Fact]
    public async Task skipped_slots_are_passed_over_and_a_block_not_available_holds_the_checkpoint_until_it_is_served()
    {
        var net = Chain.Network;
        var treasury = Chain.Authority("treasury");
        var worker = await Chain.NewWalletAsync(ct: Ct);
        _start = await Chain.Rpc.GetSlotAsync(cancellationToken: Ct);
        // Slots without a treasury transaction first (the node opens a block every slot), then one payment.
        while (await Chain.Rpc.GetSlotAsync(cancellationToken: Ct) < _start + 6)
            await Task.Delay(50, Ct); // polling the node for the slot itself
        var paid = await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 3, Guid.NewGuid(), 777), [treasury], Ct);
        var paidSlot = paid.Slot;
        while (await Chain.Rpc.GetSlotAsync(cancellationToken: Ct) < paidSlot + 2)
            await Task.Delay(50, Ct);

        await using var proxy = await FaultProxy.StartAsync(Chain.Process.RpcUrl, Chain.Process.WebsocketUrl, cancellationToken: Ct);
        using var rpc = new IoNet.Solana.Rpc.SolanaRpcClient(proxy.RpcUrl);
        var (store, crawler, log) = await Indexer("skipped", rpc, new CrawlerOptions { BlockRangeSize = 200, Concurrency = 1 });
        await using var _ = store;
        var source = Sources().Single();

        // The first block of the range is not available: nothing is stored, the source waits for that block.
        proxy.Next(FaultKind.BlockNotAvailable, 1, "getBlock");
        var checkpoint = new SourceCheckpoint { Id = source.Name };
        var held = await crawler.BackfillStepAsync(source, "test", checkpoint, Ct);
        held.Interrupted.ShouldBeTrue();
        held.Waiting!.Signature.ShouldBe($"block {_start}");
        held.Waiting.Reason.ShouldContain("-32004");
        await using (var q = store.QuerySession())
        {
            var stored = (await q.LoadAsync<SourceCheckpoint>(source.Name, Ct))!;
            (stored.BlocksThrough, stored.Waiting!.Signature).ShouldBe((null, $"block {_start}"));
        }

        // Then the first three blocks (no treasury transaction in them) are skipped slots: passed over.
        proxy.Next(FaultKind.SlotSkipped, 3, "getBlock");
        while (!checkpoint.BackfillDone)
            (await crawler.BackfillStepAsync(source, "test", checkpoint, Ct)).Interrupted.ShouldBeFalse();
        proxy.Injected(FaultKind.SlotSkipped).ShouldBe(3);
        lock (log)
            log.Count(line => line.Contains("skipped", StringComparison.Ordinal)).ShouldBe(3);
        checkpoint.Waiting.ShouldBeNull();
        checkpoint.BlocksThrough!.Value.ShouldBeGreaterThanOrEqualTo(paidSlot);
        checkpoint.NewestSignature.ShouldBe(paid.Transaction!.Signatures![0]);
        await using (var q = store.QuerySession())
            (await q.LoadAsync<Ledger.Wallets.WalletSummary>(worker.PublicKey.ToString(), Ct))!.RewardsEarned.ShouldBe(777UL);
    }
}
