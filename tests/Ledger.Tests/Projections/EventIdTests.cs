using IoNet.Ledger.Chain;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Marten.Exceptions;
using Npgsql;

namespace IoNet.Ledger.Tests.Projections;

public sealed class EventIdTests(PostgresSchema schema) : IClassFixture<PostgresSchema>
{
    [Fact]
    public void an_event_id_depends_only_on_signature_path_and_kind()
    {
        var a = new TokensBurned("sig", 1, null, "2.1", "mint", "acct", "owner", 5);
        var sameSpotOtherData = a with { Amount = 6, Slot = 9 };

        EventIds.For(a).ShouldBe(EventIds.For(sameSpotOtherData));
        EventIds.For(a).ShouldNotBe(EventIds.For(a with { Path = "2.2" }));
        EventIds.For(a).ShouldNotBe(EventIds.For(a with { Signature = "sig2" }));
        EventIds.For("sig", "2.1", nameof(TokensBurned)).ShouldNotBe(EventIds.For("sig", "2.1", nameof(TokensMinted)));
        // Version 5, RFC 4122 variant: a name-based id, stable across processes and machines.
        EventIds.For(a).Version.ShouldBe(5);
        EventIds.For(a).ShouldBe(EventIds.For("sig", "2.1", "TokensBurned"));
    }

    [Fact]
    public async Task appending_the_same_event_id_twice_is_refused_and_stores_it_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, schema.Name);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Inline);
        });
        var minted = new TokensMinted("sigA", 1, null, "0", "mintX", "acct", "owner", 1_000);

        async Task Append(string stream)
        {
            await using var session = store.LightweightSession();
            var e = session.Events.BuildEvent(minted);
            e.Id = EventIds.For(minted);
            session.Events.Append(stream, e);
            await session.SaveChangesAsync(ct);
        }

        await Append("sigA");
        (await Should.ThrowAsync<MartenCommandException>(() => Append("sigA-again")))
            .InnerException.ShouldBeOfType<PostgresException>().SqlState.ShouldBe("23505");

        await using var q = store.QuerySession();
        (await q.LoadAsync<TokenSupply>("mintX", ct))!.Minted.ShouldBe(1_000UL);
        (await q.Events.QueryAllRawEvents().Where(e => e.StreamKey == "sigA-again").CountAsync(ct)).ShouldBe(0);
    }
}
