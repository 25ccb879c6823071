using IoNet.Ledger.Store;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Http;
using IoNet.TestSupport;
using Marten;
using Npgsql;

namespace IoNet.MarketplaceApi.Tests.Credits;

/// <summary>The outbox's table on a real PostgreSQL: how intents are stored, how each step is a compare-and-set, the lock.</summary>
public sealed class TransactionOutboxTests(PostgresSchema schema) : IClassFixture<PostgresSchema>, IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private readonly MarketplaceDatabase _database = new(NpgsqlDataSource.Create(schema.ConnectionString), schema.Name);

    private TransactionOutbox Outbox => new(_database, new OutboxSignal());

    private static OutboxEntry Settle(Guid rental, ulong refund = 5) =>
        OutboxEntry.Of($"settle:{rental:N}", "settle", "Buyer", new SettlePayload(rental, refund));

    public sealed record SettlePayload(Guid Rental, ulong Refund);

    public sealed record SettlementDecided(string Id, ulong Refund);

    [Fact]
    public async Task an_intent_queued_in_a_marten_session_is_stored_with_the_sessions_changes_or_not_at_all()
    {
        using var store = DocumentStore.For(o => LedgerStore.ApplyConventions(o, schema.ConnectionString, schema.Name));
        var kept = Guid.NewGuid();
        var dropped = Guid.NewGuid();
        await using (var session = store.LightweightSession())
        {
            session.Store(new SettlementDecided(kept.ToString("N"), 5));
            await Outbox.EnqueueAsync(session, Settle(kept), Now, Ct);
            await Outbox.EnqueueAsync(session, Settle(kept) with { Key = $"refund:{kept:N}", Owner = null }, Now, Ct);
            await session.SaveChangesAsync(Ct);
        }
        await using (var session = store.LightweightSession())
        {
            await Outbox.EnqueueAsync(session, Settle(dropped), Now, Ct);
            // disposed without SaveChangesAsync: the decision was never made, and neither is its intent
        }

        var intent = (await Outbox.FindAsync($"settle:{kept:N}", Ct)).ShouldNotBeNull();
        intent.State.ShouldBe(OutboxState.Pending);
        intent.Kind.ShouldBe("settle");
        intent.PayloadAs<SettlePayload>().ShouldBe(new SettlePayload(kept, 5));
        (await Outbox.FindAsync($"refund:{kept:N}", Ct)).ShouldNotBeNull().Owner.ShouldBeNull();
        (await Outbox.FindAsync($"settle:{dropped:N}", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task enqueuing_a_key_again_changes_nothing()
    {
        var rental = Guid.NewGuid();

        (await Outbox.EnqueueAsync(Settle(rental, 5), Now, Ct)).ShouldBeTrue();
        (await Outbox.EnqueueAsync(Settle(rental, 9), Now.AddHours(1), Ct)).ShouldBeFalse();

        var intent = (await Outbox.FindAsync($"settle:{rental:N}", Ct)).ShouldNotBeNull();
        intent.PayloadAs<SettlePayload>().Refund.ShouldBe(5UL);
        intent.CreatedAt.ShouldBe(Now);
    }

    [Fact]
    public async Task each_step_is_a_compare_and_set_so_a_stale_worker_changes_nothing()
    {
        var key = $"settle:{Guid.NewGuid():N}";
        await Outbox.EnqueueAsync(OutboxEntry.Of(key, "settle", null, new SettlePayload(Guid.Empty, 1)), Now, Ct);

        (await Outbox.StoreSignedAsync(key, 0, [1, 2, 3], "sigA", 100, Now, Ct)).ShouldBeTrue();
        // A second worker that read attempt 0 too cannot store its own transaction beside it.
        (await Outbox.StoreSignedAsync(key, 0, [4, 5, 6], "sigB", 100, Now, Ct)).ShouldBeFalse();
        (await Outbox.RecordSendAsync(key, "sigB", null, Now, Now, Ct)).ShouldBeFalse();
        (await Outbox.ReleaseAsync(key, "sigB", "expired", Now, Ct)).ShouldBeFalse();
        (await Outbox.RecordSendAsync(key, "sigA", null, Now, Now, Ct)).ShouldBeTrue();

        (await Outbox.ReleaseAsync(key, "sigA", "expired", Now, Ct)).ShouldBeTrue();
        (await Outbox.StoreSignedAsync(key, 1, [7], "sigC", 400, Now, Ct)).ShouldBeTrue();
        (await Outbox.CompleteAsync(key, "sigC", Now, Ct)).ShouldBeTrue();
        (await Outbox.CompleteAsync(key, "sigC", Now, Ct)).ShouldBeFalse();

        var done = (await Outbox.FindAsync(key, Ct)).ShouldNotBeNull();
        done.State.ShouldBe(OutboxState.Done);
        done.Attempt.ShouldBe(2);
        done.Signatures.ShouldBe(["sigA", "sigC"]);
        done.DoneSignature.ShouldBe("sigC");
        done.Transaction.ShouldBeNull();
        (await Outbox.DueAsync(Now.AddDays(1), 1000, Ct)).ShouldNotContain(key);
    }

    [Fact]
    public async Task only_one_worker_holds_an_intents_lock_until_it_lets_go()
    {
        var key = $"settle:{Guid.NewGuid():N}";

        var first = await Outbox.TryLockAsync(key, Ct);
        first.ShouldNotBeNull();
        (await Outbox.TryLockAsync(key, Ct)).ShouldBeNull();
        await first.DisposeAsync();

        await using var again = await Outbox.TryLockAsync(key, Ct);
        again.ShouldNotBeNull();
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();
}
