using IoNet.Ledger.Store;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace IoNet.Ledger.Tests.Store;

public sealed class MartenRoundTripTests(PostgresSchema schema) : IClassFixture<PostgresSchema>
{
    public sealed record CoinsArrived(string Wallet, ulong Amount);

    public sealed record CoinsLeft(string Wallet, ulong Amount);

    public sealed class WalletBalance
    {
        public string Id { get; set; } = "";
        public ulong Balance { get; set; }
        public int Movements { get; set; }
    }

    public sealed class WalletBalanceProjection : SingleStreamProjection<WalletBalance, string>
    {
        public static void Apply(CoinsArrived e, WalletBalance view) { view.Balance += e.Amount; view.Movements++; }

        public static void Apply(CoinsLeft e, WalletBalance view) { view.Balance -= e.Amount; view.Movements++; }
    }

    private DocumentStore CreateStore() => DocumentStore.For(o =>
    {
        LedgerStore.ApplyConventions(o, schema.ConnectionString, schema.Name);
        o.Projections.Add<WalletBalanceProjection>(ProjectionLifecycle.Inline);
    });

    [Fact]
    public async Task appended_events_are_read_back_in_order_and_through_an_inline_projection()
    {
        await using var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        const string wallet = "B8UwBUUnKwCyKuGMbFKWaG7exYdDk2ozZrPg72NyVbfj";

        await using (var session = store.LightweightSession())
        {
            session.Events.Append(wallet, new CoinsArrived(wallet, 18_446_744_073_709_551_000), new CoinsLeft(wallet, 1_000));
            await session.SaveChangesAsync(ct);
        }

        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync(wallet, token: ct);
        events.Select(e => e.Data).ShouldBe([new CoinsArrived(wallet, 18_446_744_073_709_551_000), new CoinsLeft(wallet, 1_000)]);

        var view = await query.LoadAsync<WalletBalance>(wallet, ct);
        view.ShouldNotBeNull();
        view.Balance.ShouldBe(18_446_744_073_709_550_000UL);
        view.Movements.ShouldBe(2);
    }

    [Fact]
    public async Task the_database_answers_a_ping()
    {
        (await LedgerStore.PingAsync(schema.ConnectionString, TestContext.Current.CancellationToken)).ShouldBeTrue();
    }
}
