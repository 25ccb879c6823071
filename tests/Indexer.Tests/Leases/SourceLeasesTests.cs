using IoNet.Indexer.Leases;
using IoNet.Ledger.Store;
using IoNet.TestSupport;
using Marten;
using Marten.Exceptions;
using Npgsql;

namespace IoNet.Indexer.Tests.Leases;

public sealed class SourceLeasesTests(PostgresSchema schema) : IClassFixture<PostgresSchema>
{
    private async Task<SourceLeases> Leases(TimeSpan ttl)
    {
        var leases = new SourceLeases(schema.ConnectionString, schema.Name, ttl);
        await leases.EnsureSchemaAsync(TestContext.Current.CancellationToken);
        return leases;
    }

    [Fact]
    public async Task a_source_is_held_by_one_process_at_a_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var leases = await Leases(TimeSpan.FromSeconds(30));

        (await leases.TryAcquireAsync("mint:A", "indexer-1", ct)).ShouldBeTrue();
        (await leases.TryAcquireAsync("mint:A", "indexer-2", ct)).ShouldBeFalse();
        (await leases.TryAcquireAsync("mint:A", "indexer-1", ct)).ShouldBeTrue("the holder renews");
        (await leases.TryAcquireAsync("mint:B", "indexer-2", ct)).ShouldBeTrue("other sources are free");

        var holders = await leases.HoldersAsync(ct);
        holders["mint:A"].ShouldBe("indexer-1");
        holders["mint:B"].ShouldBe("indexer-2");
    }

    [Fact]
    public async Task an_expired_lease_is_taken_over_and_a_released_one_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var leases = await Leases(TimeSpan.FromSeconds(30));
        // The dead process's last renewal had no life left (it expires as it is written): expired without waiting for
        // a clock, and the long one above keeps the first assertions free of timing, however loaded the machine is.
        var lastRenewal = await Leases(TimeSpan.Zero);

        (await leases.TryAcquireAsync("vault:E", "dead-indexer", ct)).ShouldBeTrue();
        (await leases.TryAcquireAsync("vault:E", "indexer-2", ct)).ShouldBeFalse();
        (await lastRenewal.TryAcquireAsync("vault:E", "dead-indexer", ct)).ShouldBeTrue();
        (await leases.HoldersAsync(ct)).ShouldNotContainKey("vault:E");
        (await leases.TryAcquireAsync("vault:E", "indexer-2", ct)).ShouldBeTrue();

        await leases.ReleaseAsync("vault:E", "indexer-2", ct);
        (await leases.TryAcquireAsync("vault:E", "indexer-3", ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task a_write_fenced_by_a_lost_lease_is_rolled_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var leases = await Leases(TimeSpan.FromSeconds(30));
        var lastRenewal = await Leases(TimeSpan.Zero);
        await using var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, schema.Name);
            o.Events.AddEventType<Marker>();
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        (await leases.TryAcquireAsync("treasury", "indexer-1", ct)).ShouldBeTrue();

        await using (var session = store.LightweightSession())
        {
            session.QueueSqlCommand(leases.AssertHeldSql, "treasury", "indexer-1");
            session.Events.Append("sig-while-held", new Marker(1));
            await session.SaveChangesAsync(ct);
        }

        // indexer-1 stalls after a last renewal that has already expired; indexer-2 takes the source over.
        (await lastRenewal.TryAcquireAsync("treasury", "indexer-1", ct)).ShouldBeTrue();
        (await leases.TryAcquireAsync("treasury", "indexer-2", ct)).ShouldBeTrue();
        await using (var session = store.LightweightSession())
        {
            session.QueueSqlCommand(leases.AssertHeldSql, "treasury", "indexer-1");
            session.Events.Append("sig-after-loss", new Marker(2));
            var thrown = await Should.ThrowAsync<MartenCommandException>(() => session.SaveChangesAsync(ct));
            // The fence's own SQLSTATE: a lost lease is told apart from any other failure.
            thrown.InnerException.ShouldBeOfType<PostgresException>().SqlState.ShouldBe(SourceLeases.LostLeaseSqlState);
            SourceLeases.IsLostLease(thrown).ShouldBeTrue();
        }

        await using var q = store.QuerySession();
        var streams = await q.Events.QueryAllRawEvents().Select(e => e.StreamKey!).ToListAsync(ct);
        streams.ShouldContain("sig-while-held");
        streams.ShouldNotContain("sig-after-loss");
    }

    public sealed record Marker(int N);
}
