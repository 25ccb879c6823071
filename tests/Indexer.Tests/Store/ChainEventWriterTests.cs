using IoNet.Indexer.Leases;
using IoNet.Indexer.Store;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace IoNet.Indexer.Tests.Store;

public sealed class ChainEventWriterTests(PostgresSchema schema) : IClassFixture<PostgresSchema>
{
    private static TransactionEvents Tx(string sig, ulong amount) =>
        new(sig, [new TokensMinted(sig, 1, null, "0", "mintM", "acct", "owner", amount), new TokensBurned(sig, 1, null, "1", "mintM", "acct", "owner", 1)]);

    private async Task<(DocumentStore Store, SourceLeases Leases)> Setup(string suffix)
    {
        var name = schema.Another(suffix);
        var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, name);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Inline);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var leases = new SourceLeases(schema.ConnectionString, name, TimeSpan.FromSeconds(30));
        await leases.EnsureSchemaAsync(TestContext.Current.CancellationToken);
        return (store, leases);
    }

    [Fact]
    public async Task replaying_a_batch_and_finding_it_through_another_source_stores_each_transaction_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, leases) = await Setup("replay");
        await using var _ = store;
        await leases.TryAcquireAsync("src-a", "me", ct);
        await leases.TryAcquireAsync("src-b", "me", ct);
        var writer = new ChainEventWriter(store, leases);

        (await writer.AppendAsync("src-a", "me", [Tx("s1", 10), Tx("s2", 20)], new SourceCheckpoint { NewestSignature = "s2" }, ct)).ShouldBe(2);
        (await writer.AppendAsync("src-a", "me", [Tx("s1", 10), Tx("s2", 20)], new SourceCheckpoint { NewestSignature = "s2" }, ct)).ShouldBe(0);
        (await writer.AppendAsync("src-b", "me", [Tx("s2", 20), Tx("s3", 30), Tx("s3", 30)], new SourceCheckpoint { NewestSignature = "s3" }, ct)).ShouldBe(1);

        await using var q = store.QuerySession();
        var supply = await q.LoadAsync<TokenSupply>("mintM", ct);
        (supply!.Minted, supply.Burned).ShouldBe((60UL, 3UL));
        (await q.LoadAsync<SourceCheckpoint>("src-b", ct))!.NewestSignature.ShouldBe("s3");
    }

    [Fact]
    public async Task a_writer_that_lost_its_lease_stores_neither_events_nor_checkpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, leases) = await Setup("fenced");
        await using var _ = store;
        var writer = new ChainEventWriter(store, leases);
        (await leases.TryAcquireAsync("src", "other-indexer", ct)).ShouldBeTrue();

        var lost = await Should.ThrowAsync<LeaseLostException>(() =>
            writer.AppendAsync("src", "me", [Tx("s9", 10)], new SourceCheckpoint { NewestSignature = "s9" }, ct));
        (lost.SourceName, lost.Holder).ShouldBe(("src", "me"));

        await using var q = store.QuerySession();
        (await q.LoadAsync<SourceCheckpoint>("src", ct)).ShouldBeNull();
        (await q.LoadAsync<TokenSupply>("mintM", ct)).ShouldBeNull();
    }

    [Fact]
    public async Task two_writers_racing_on_the_same_transactions_store_them_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, _) = await Setup("race");
        await using var __ = store;
        var writer = new ChainEventWriter(store);
        var batch = Enumerable.Range(0, 50).Select(i => Tx($"r{i}", (ulong)i + 1)).ToList();

        var results = await Task.WhenAll(
            writer.AppendAsync("a", "x", batch, new SourceCheckpoint(), ct),
            writer.AppendAsync("b", "y", batch, new SourceCheckpoint(), ct));

        results.Sum().ShouldBe(50);
        await using var q = store.QuerySession();
        (await q.LoadAsync<TokenSupply>("mintM", ct))!.Minted.ShouldBe((ulong)Enumerable.Range(1, 50).Sum());
    }

    [Fact]
    public async Task a_database_failure_other_than_the_fence_is_not_a_lost_lease()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, leases) = await Setup("notlease");
        await using var _ = store;
        var writer = new ChainEventWriter(store, leases);
        (await leases.TryAcquireAsync("src", "me", ct)).ShouldBeTrue();
        await writer.AppendAsync("src", "me", [Tx("ok1", 1)], new SourceCheckpoint(), ct);
        // The checkpoint's upsert fails on a constraint, while the lease is held all along.
        await using (var connection = new NpgsqlConnection(schema.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                $"alter table \"{schema.Another("notlease")}\".mt_doc_sourcecheckpoint add constraint no_checkpoints check (id <> 'src') not valid", connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        var failure = await Should.ThrowAsync<Marten.Exceptions.MartenCommandException>(() =>
            writer.AppendAsync("src", "me", [Tx("s9", 10)], new SourceCheckpoint { NewestSignature = "s9" }, ct));

        failure.InnerException.ShouldBeOfType<PostgresException>().SqlState.ShouldBe(PostgresErrorCodes.CheckViolation);
        SourceLeases.IsLostLease(failure).ShouldBeFalse();
        (await leases.HoldersAsync(ct))["src"].ShouldBe("me");
    }
}
