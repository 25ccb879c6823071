using System.IO.Compression;
using System.Text.Json;
using IoNet.Indexer.Decoding;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Store;
using IoNet.Ledger.Anchor;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Vaults;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;

namespace IoNet.Indexer.Tests.Store;

public sealed class BulkChainEventWriterTests(PostgresSchema schema) : IClassFixture<PostgresSchema>
{
    private const string Io = "BZLbGTNCSFfoth2GYDtwr7e4imWzpR5jqcUuGEwr646K";
    private const string Iosd = "IosdMint1111111111111111111111111111111111";
    private const string Buyer = "Buyer11111111111111111111111111111111111111";
    private const string Supplier = "Supp1ier1111111111111111111111111111111111";
    private const string Worker = "Worker1111111111111111111111111111111111111";
    private const string Device = "Device11111111111111111111111111111111111111";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TransactionEvents Tx(string sig, ulong amount) =>
        new(sig, [new TokensMinted(sig, 1, null, "0", "mintM", "acct", "owner", amount), new TokensBurned(sig, 1, null, "1", "mintM", "acct", "owner", 1)]);

    /// <summary>Every event type, several transactions of each shape, one transaction with no events.</summary>
    private static List<TransactionEvents> Economy()
    {
        var txs = new List<TransactionEvents>();
        for (var i = 0; i < 12; i++)
        {
            var n = (ulong)i;
            string S(string kind) => $"{kind}{i:D3}";
            var rental = $"rental{i % 4}";
            txs.Add(new(S("mint"), [new TokensMinted(S("mint"), 100 + n, 1_700_000_000 + i, "0", Io, "ioAta", Buyer, 1_000_000 + n)]));
            txs.Add(new(S("credits"), [
                new TokensBurned(S("credits"), 101 + n, null, "0", Io, "ioAta", Buyer, 2_000 + n),
                new TokensMinted(S("credits"), 101 + n, null, "1", Iosd, "iosdAta", Buyer, 500 + n),
                new CreditsPurchased(S("credits"), 101 + n, null, "1", Buyer, S("credits"), 2_000 + n, 500 + n, "0.25"),
            ]));
            txs.Add(new(S("fund"), [new RentalFunded(S("fund"), 102 + n, null, "2", rental, Buyer, Iosd, 300, "escrowIosdAta")]));
            txs.Add(new(S("settle"), [
                new RentalSettled(S("settle"), 103 + n, null, "0", rental, Supplier, Iosd, 200, "escrowIosdAta"),
                new RentalRefunded(S("settle"), 103 + n, null, "1", rental, Buyer, Iosd, 50, "escrowIosdAta"),
            ]));
            txs.Add(new(S("reward"), [
                new RewardPaid(S("reward"), 104 + n, null, "0", 40 + n % 3, Device, Worker, Io, 30 + n, "treasuryAta"),
                new RewardPaid(S("reward"), 104 + n, null, "2.b1", 40 + n % 3, "Device2", Worker, Io, 7, "treasuryAta"),
            ]));
            txs.Add(new(S("stake"), [
                new StakeDeposited(S("stake"), 105 + n, null, "0", Device, Supplier, Io, 900, "stakeAta"),
                new StakeWithdrawn(S("stake"), 105 + n, null, "1", Device, Supplier, Io, 100, "stakeAta"),
                new StakeSlashed(S("stake"), 105 + n, null, "2", Device, Supplier, Io, 10, "stakeAta"),
            ]));
            txs.Add(new(S("fee"), [new FeesBurned(S("fee"), 106 + n, null, "0", Io, "treasuryAta", 3 + n)]));
            txs.Add(new(S("anchor"), [new AnchorEventObserved(S("anchor"), 107 + n, null, "0.1", "Prog111", "Ping", "{\"n\":" + i + "}")]));
            txs.Add(new(S("gift"), [
                new VaultDeposited(S("gift"), 108 + n, null, "0", "escrowIosdAta", Iosd, "someAta", 11 + n, "Transfer"),
                new VaultWithdrawn(S("gift"), 108 + n, null, "1", "stakeAta", Io, Io, 1, "Burn"),
            ]));
            txs.Add(new(S("unreadable"), [new TransactionUnreadable(S("unreadable"), 109 + n, null, TransactionUnreadable.TransactionPath, "does not decode")]));
            txs.Add(new(S("nothing"), []));
        }
        return txs;
    }

    private async Task<(DocumentStore Store, SourceLeases Leases)> Setup(string suffix, ProjectionLifecycle lifecycle = ProjectionLifecycle.Async)
    {
        var name = schema.Another(suffix);
        var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, name);
            LedgerStore.AddChainProjections(o, lifecycle);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var leases = new SourceLeases(schema.ConnectionString, name, TimeSpan.FromSeconds(30));
        await leases.EnsureSchemaAsync(Ct);
        return (store, leases);
    }

    private async Task<List<string>> Rows(IDocumentStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", $"\"{store.Options.Events.DatabaseSchemaName}\"", StringComparison.Ordinal), connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    /// <summary>
    /// The comparison the tests below make: a store with inline projections written by the normal path and one with
    /// async projections written by the bulk path, each with the lease on "src" held by "me".
    /// </summary>
    private async Task<(DocumentStore Inline, DocumentStore Async, ChainEventWriter Normal, BulkChainEventWriter Bulk, SourceLeases AsyncLeases)> PairAsync(string name)
    {
        var (inlineStore, inlineLeases) = await Setup($"{name}_inline", ProjectionLifecycle.Inline);
        var (asyncStore, asyncLeases) = await Setup($"{name}_async", ProjectionLifecycle.Async);
        await inlineLeases.TryAcquireAsync("src", "me", Ct);
        await asyncLeases.TryAcquireAsync("src", "me", Ct);
        return (inlineStore, asyncStore, new ChainEventWriter(inlineStore, inlineLeases), new BulkChainEventWriter(asyncStore, asyncLeases), asyncLeases);
    }

    /// <summary>Runs the async daemon until every projection has caught up.</summary>
    private static async Task CatchUpAsync(DocumentStore store)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await daemon.StopAllAsync();
    }

    /// <summary>Every read model's documents are the same in both stores (and there are some).</summary>
    private async Task ReadModelsShouldBeEqualAsync(IDocumentStore expectedStore, IDocumentStore actualStore)
    {
        string[] readModels = ["mt_doc_tokensupply", "mt_doc_walletsummary", "mt_doc_rentalescrow", "mt_doc_deviceearnings", "mt_doc_rewardblockpayouts", "mt_doc_networktotals", "mt_doc_vaultbalance"];
        foreach (var table in readModels)
        {
            var sql = $"select id, data::text from {{schema}}.{table} order by id";
            var expected = await Rows(expectedStore, sql);
            expected.ShouldNotBeEmpty(table);
            (await Rows(actualStore, sql)).ShouldBe(expected, table);
        }
    }

    private const string EventRows =
        "select id, stream_id, version, data::text, bdata is null, type, tenant_id, mt_dotnet_type, is_archived, timestamp is not null from {schema}.mt_events order by seq_id";

    private const string StreamRows =
        "select id, type, version, tenant_id, is_archived, compacted_version, timestamp = created from {schema}.mt_streams order by id";

    [Fact]
    public async Task the_rows_equal_those_of_the_normal_path_and_marten_reads_them_back()
    {
        var (normalStore, normalLeases) = await Setup("rt_normal");
        var (bulkStore, bulkLeases) = await Setup("rt_bulk");
        await using var _ = normalStore;
        await using var __ = bulkStore;
        await normalLeases.TryAcquireAsync("src", "me", Ct);
        await bulkLeases.TryAcquireAsync("src", "me", Ct);
        var batch = Economy();

        var normal = await new ChainEventWriter(normalStore, normalLeases).AppendAsync("src", "me", batch, new SourceCheckpoint { NewestSignature = "x", TransactionsSeen = 108 }, Ct);
        var bulk = await new BulkChainEventWriter(bulkStore, bulkLeases).AppendAsync("src", "me", batch, new SourceCheckpoint { NewestSignature = "x", TransactionsSeen = 108 }, Ct);

        bulk.ShouldBe(normal);
        bulk.ShouldBe(120);
        var bulkEvents = await Rows(bulkStore, EventRows);
        bulkEvents.Count.ShouldBe(batch.Sum(t => t.Events.Count));
        bulkEvents.ShouldBe(await Rows(normalStore, EventRows));
        (await Rows(bulkStore, StreamRows)).ShouldBe(await Rows(normalStore, StreamRows));
        // seq_ids are Marten's sequence, 1..n, and the sequence moved on past them.
        (await Rows(bulkStore, "select min(seq_id), max(seq_id), count(*) from {schema}.mt_events")).ShouldBe([$"1 | {bulkEvents.Count} | {bulkEvents.Count}"]);
        (await Rows(bulkStore, "select last_value from {schema}.mt_events_sequence")).ShouldBe([$"{bulkEvents.Count}"]);

        await using var q = bulkStore.QuerySession();
        foreach (var tx in batch.Where(t => t.Events.Count > 0))
        {
            var stream = await q.Events.FetchStreamAsync(tx.Signature, token: Ct);
            stream.Select(e => e.Data).ShouldBe(tx.Events);
            stream.Select(e => e.Id).ShouldBe(tx.Events.Select(EventIds.For));
            stream.Select(e => e.Version).ShouldBe(Enumerable.Range(1, tx.Events.Count).Select(v => (long)v));
            stream.ShouldAllBe(e => e.StreamKey == tx.Signature && e.TenantId == "*DEFAULT*");
            var state = await q.Events.FetchStreamStateAsync(tx.Signature, Ct);
            state!.Version.ShouldBe(tx.Events.Count);
        }
        var checkpoint = await q.LoadAsync<SourceCheckpoint>("src", Ct);
        (checkpoint!.NewestSignature, checkpoint.TransactionsSeen).ShouldBe(("x", 108L));
    }

    [Fact]
    public async Task a_replay_appends_nothing_and_duplicates_in_a_batch_or_in_the_store_are_skipped()
    {
        var (store, leases) = await Setup("dups");
        await using var _ = store;
        await leases.TryAcquireAsync("src-a", "me", Ct);
        await leases.TryAcquireAsync("src-b", "me", Ct);
        var bulk = new BulkChainEventWriter(store, leases);

        (await bulk.AppendAsync("src-a", "me", [Tx("s1", 10), Tx("s2", 20), Tx("s1", 10)], new SourceCheckpoint { NewestSignature = "s2" }, Ct)).ShouldBe(2);
        (await bulk.AppendAsync("src-a", "me", [Tx("s1", 10), Tx("s2", 20)], new SourceCheckpoint { NewestSignature = "s2b" }, Ct)).ShouldBe(0);
        // Stored by the normal path, then found again by the bulk path through another source.
        (await new ChainEventWriter(store, leases).AppendAsync("src-b", "me", [Tx("s3", 30)], new SourceCheckpoint(), Ct)).ShouldBe(1);
        (await bulk.AppendAsync("src-b", "me", [Tx("s2", 20), Tx("s3", 30), Tx("s4", 40), Tx("s4", 40)], new SourceCheckpoint { NewestSignature = "s4" }, Ct)).ShouldBe(1);

        (await Rows(store, "select stream_id, version from {schema}.mt_events order by seq_id"))
            .ShouldBe(["s1 | 1", "s1 | 2", "s2 | 1", "s2 | 2", "s3 | 1", "s3 | 2", "s4 | 1", "s4 | 2"]);
        await using var q = store.QuerySession();
        (await q.LoadAsync<SourceCheckpoint>("src-a", Ct))!.NewestSignature.ShouldBe("s2b");
        (await q.LoadAsync<SourceCheckpoint>("src-b", Ct))!.NewestSignature.ShouldBe("s4");
    }

    [Fact]
    public async Task a_writer_that_lost_its_lease_stores_neither_events_nor_checkpoint()
    {
        var (store, leases) = await Setup("fenced");
        await using var _ = store;
        var bulk = new BulkChainEventWriter(store, leases);
        (await leases.TryAcquireAsync("src", "other-indexer", Ct)).ShouldBeTrue();

        var e = await Should.ThrowAsync<LeaseLostException>(() =>
            bulk.AppendAsync("src", "me", [Tx("s9", 10), Tx("s10", 10)], new SourceCheckpoint { NewestSignature = "s10" }, Ct));
        (e.SourceName, e.Holder).ShouldBe(("src", "me"));
        e.InnerException.ShouldBeOfType<PostgresException>().MessageText.ShouldContain("not held by me");

        (await Rows(store, "select count(*) from {schema}.mt_events")).ShouldBe(["0"]);
        (await Rows(store, "select count(*) from {schema}.mt_streams")).ShouldBe(["0"]);
        await using var q = store.QuerySession();
        (await q.LoadAsync<SourceCheckpoint>("src", Ct)).ShouldBeNull();

        // Once the lease is ours, the same batch goes in.
        await leases.ReleaseAsync("src", "other-indexer", Ct);
        (await leases.TryAcquireAsync("src", "me", Ct)).ShouldBeTrue();
        (await bulk.AppendAsync("src", "me", [Tx("s9", 10), Tx("s10", 10)], new SourceCheckpoint { NewestSignature = "s10" }, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task a_failing_checkpoint_rolls_the_copied_events_back()
    {
        var (store, leases) = await Setup("atomic");
        await using var _ = store;
        var bulk = new BulkChainEventWriter(store, leases);
        await leases.TryAcquireAsync("src", "me", Ct);
        await bulk.EnsureSchemaAsync(Ct);
        // Make the checkpoint's upsert (the last step) fail.
        await Rows(store, "alter table {schema}.mt_doc_sourcecheckpoint add constraint no_checkpoints check (id <> 'src') not valid");

        var failure = await Should.ThrowAsync<Exception>(() => bulk.AppendAsync("src", "me", [Tx("a1", 1)], new SourceCheckpoint(), Ct));
        // A failure of the database that is not the fence is no lost lease.
        failure.ShouldNotBeOfType<LeaseLostException>();
        SourceLeases.IsLostLease(failure).ShouldBeFalse();

        (await Rows(store, "select count(*) from {schema}.mt_events")).ShouldBe(["0"]);
        (await Rows(store, "select count(*) from {schema}.mt_streams")).ShouldBe(["0"]);
    }

    [Fact]
    public async Task two_bulk_writers_racing_on_the_same_transactions_store_them_once()
    {
        var (store, _) = await Setup("race");
        await using var __ = store;
        var writer = new BulkChainEventWriter(store);
        var other = new BulkChainEventWriter(store);
        var batch = Enumerable.Range(0, 50).Select(i => Tx($"r{i}", (ulong)i + 1)).ToList();

        var results = await Task.WhenAll(
            writer.AppendAsync("a", "x", batch, new SourceCheckpoint(), Ct),
            other.AppendAsync("b", "y", batch, new SourceCheckpoint(), Ct));

        results.Sum().ShouldBe(50);
        (await Rows(store, "select count(*) from {schema}.mt_events")).ShouldBe(["100"]);
    }

    [Fact]
    public async Task the_async_daemon_builds_from_bulk_appends_the_same_read_models_as_inline_projections_on_the_normal_path()
    {
        var (inlineStore, asyncStore, normal, bulk, asyncLeases) = await PairAsync("proj");
        await using var _ = inlineStore;
        await using var __ = asyncStore;

        var economy = Economy();
        // In chunks, as the crawler appends, with a replayed chunk in the middle.
        foreach (var chunk in economy.Chunk(25).Append(economy.Take(25).ToArray()))
        {
            await normal.AppendAsync("src", "me", chunk, new SourceCheckpoint(), Ct);
            await bulk.AppendAsync("src", "me", chunk, new SourceCheckpoint(), Ct);
        }
        // A normal-path append after the bulk ones: both paths share the store's sequence.
        await normal.AppendAsync("src", "me", [Tx("late", 5)], new SourceCheckpoint(), Ct);
        await new ChainEventWriter(asyncStore, asyncLeases).AppendAsync("src", "me", [Tx("late", 5)], new SourceCheckpoint(), Ct);

        await CatchUpAsync(asyncStore);
        await ReadModelsShouldBeEqualAsync(inlineStore, asyncStore);
        await using var q = asyncStore.QuerySession();
        (await q.LoadAsync<TokenSupply>(Io, Ct))!.Minted.ShouldBe(Enumerable.Range(0, 12).Aggregate(0UL, (sum, i) => sum + 1_000_000UL + (ulong)i));
        (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct))!.Slashed.ShouldBe(120UL);
        (await q.LoadAsync<RentalEscrow>("rental0", Ct))!.Balance.ShouldBe(3 * 50UL);
    }

    /// <summary>
    /// The daemon must never skip events whose transaction reserved its sequence numbers early and committed late (a
    /// slow bulk COPY): here one append holds its sequence numbers open for six times the stale threshold while later
    /// appends commit above them. Marten skips a stale gap only when no live transaction could still fill it (its
    /// 9.16.1 fix); this proves it for the way IoNet writes.
    /// </summary>
    [Fact]
    public async Task an_append_held_open_past_the_stale_threshold_is_still_projected()
    {
        var name = schema.Another("held");
        await using var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, name);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
            o.Projections.StaleSequenceThreshold = TimeSpan.FromMilliseconds(500);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var leases = new SourceLeases(schema.ConnectionString, name, TimeSpan.FromMinutes(5));
        await leases.EnsureSchemaAsync(Ct);
        await leases.TryAcquireAsync("src", "me", Ct);
        var bulk = new BulkChainEventWriter(store, leases);
        await bulk.AppendAsync("src", "me", [Tx("before", 1_000)], new SourceCheckpoint(), Ct);

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();

        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var held = await connection.BeginTransactionAsync(Ct);
        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(held)))
        {
            session.Events.StartStream("held", [.. Tx("held", 20_000).Events.Cast<object>()]);
            await session.SaveChangesAsync(Ct);
        }
        await bulk.AppendAsync("src", "me", [Tx("after1", 300_000)], new SourceCheckpoint(), Ct);
        // Time passing is the behaviour under test here: the gap outlives the stale threshold while the daemon runs.
        await Task.Delay(3_000, Ct);
        await bulk.AppendAsync("src", "me", [Tx("after2", 4_000_000)], new SourceCheckpoint(), Ct);
        await Task.Delay(1_000, Ct); // the same: a later append, then the gap older still
        await held.CommitAsync(Ct);

        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await daemon.StopAllAsync();
        await using var q = store.QuerySession();
        var supply = (await q.LoadAsync<TokenSupply>("mintM", Ct))!;
        (supply.Minted, supply.Burned).ShouldBe((4_321_000UL, 4UL));
    }

    /// <summary>The benchmark's sample: getTransaction JSON of io.net flows recorded on a real localnet, decoded and mapped.</summary>
    private static List<TransactionEvents> RecordedSample()
    {
        var dir = RepoPaths.RepoFile("bench", "IoNet.Benchmarks", "Samples");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "indexing-network.json")));
        var root = doc.RootElement;
        MintInfo Mint(string name) => new(PublicKey.Parse(root.GetProperty(name).GetProperty("address").GetString()!),
            root.GetProperty(name).GetProperty("decimals").GetByte(), PublicKey.Parse(root.GetProperty(name).GetProperty("tokenProgram").GetString()!));
        PublicKey Key(string name) => PublicKey.Parse(root.GetProperty(name).GetString()!);
        var network = new IoNetAddresses(Mint("io"), Mint("iosd"), Mint("usdc"),
            Key("iosdMintAuthority"), Key("escrowAuthority"), Key("treasuryAuthority"), Key("stakeAuthority"));

        using var gzip = new GZipStream(File.OpenRead(Path.Combine(dir, "indexing-transactions.jsonl.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var batch = new List<TransactionEvents>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var response = RpcJson.ParseTransaction(System.Text.Encoding.UTF8.GetBytes(line))!;
            var mapped = ChainEventMapper.Map(TransactionDecoder.Decode(response), network);
            mapped.Ignored.ShouldBeEmpty();
            batch.Add(new TransactionEvents(response.Transaction!.Signatures![0], mapped.Events));
        }
        return batch;
    }

    [Fact]
    public async Task transactions_recorded_on_localnet_are_stored_as_the_normal_path_stores_them_and_project_the_same()
    {
        var sample = RecordedSample();
        sample.Count.ShouldBeGreaterThan(300);
        var (inlineStore, asyncStore, normal, bulk, _) = await PairAsync("real");
        await using var _ = inlineStore;
        await using var __ = asyncStore;
        foreach (var chunk in sample.Chunk(50))
        {
            var checkpoint = new SourceCheckpoint { NewestSignature = chunk[^1].Signature };
            (await bulk.AppendAsync("src", "me", chunk, checkpoint, Ct)).ShouldBe(await normal.AppendAsync("src", "me", chunk, checkpoint, Ct));
        }

        (await Rows(asyncStore, EventRows)).ShouldBe(await Rows(inlineStore, EventRows));
        (await Rows(asyncStore, StreamRows)).ShouldBe(await Rows(inlineStore, StreamRows));
        (await Rows(asyncStore, "select type, count(*) from {schema}.mt_events group by type order by type")).Count.ShouldBeGreaterThanOrEqualTo(9);

        await CatchUpAsync(asyncStore);
        await ReadModelsShouldBeEqualAsync(inlineStore, asyncStore);
    }
}
