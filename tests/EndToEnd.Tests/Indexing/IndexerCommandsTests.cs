using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.TestSupport;
using Marten;

namespace IoNet.EndToEnd.Tests.Indexing;

/// <summary>
/// The one-shot commands as real processes: verify never takes a failing node for a zero balance, backfill never skips
/// a transaction the node cannot serve, and status and verify show what makes the Ledger's numbers untrustworthy.
/// </summary>
public sealed class IndexerCommandsTests(LocalnetChain chain, PostgresSchema schema) : IClassFixture<LocalnetChain>, IClassFixture<PostgresSchema>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task verify_exits_non_zero_with_a_clear_message_when_the_node_answers_429_or_500()
    {
        var indexers = new IndexerHarness(chain, schema);
        await indexers.EconomyAsync(1);
        var dbSchema = await indexers.CleanRunAsync("verify_rpc");
        (await indexers.RunToEndAsync(dbSchema, "verify")).Exit.ShouldBe(0);
        await using var proxy = await FaultProxy.StartAsync(chain.Process.RpcUrl, chain.Process.WebsocketUrl, cancellationToken: Ct);
        proxy.RetryAfter = TimeSpan.FromSeconds(1);
        indexers.RpcUrl = proxy.RpcUrl.ToString();

        proxy.Set(FaultKind.TooManyRequests, 1, 0, "getAccountInfo");
        var limited = await indexers.RunToEndAsync(dbSchema, "verify");
        limited.Exit.ShouldBe(2, limited.Output);
        limited.Errors.ShouldContain("verify could not read vault escrow-iosd");
        limited.Errors.ShouldContain("HTTP 429");
        limited.Output.ShouldNotContain("ok  vault");

        proxy.ClearAll();
        proxy.Set(FaultKind.InternalServerError, 1, 0, "getTokenSupply");
        var failing = await indexers.RunToEndAsync(dbSchema, "verify");
        failing.Exit.ShouldBe(2, failing.Output);
        failing.Errors.ShouldContain("verify could not read the supply of mint");
        failing.Errors.ShouldContain("HTTP 500");
    }

    [Fact]
    public async Task backfill_holds_at_a_transaction_the_node_cannot_serve_and_status_and_verify_show_it_until_it_is_stored()
    {
        var indexers = new IndexerHarness(chain, schema);
        indexers.Settings.AddRange(["--Indexer:MaxUnavailableAttempts=2", "--Indexer:UnavailableRetryDelay=00:00:00.050"]);
        await indexers.EconomyAsync(1);
        var dbSchema = schema.Another("held");
        await using var proxy = await FaultProxy.StartAsync(chain.Process.RpcUrl, chain.Process.WebsocketUrl, cancellationToken: Ct);
        proxy.Set(FaultKind.BlockNotAvailable, probability: 1);
        indexers.RpcUrl = proxy.RpcUrl.ToString();

        var held = await indexers.RunToEndAsync(dbSchema, "backfill");
        held.Exit.ShouldBe(2, held.Output);
        held.Errors.ShouldContain("stopped at transaction");
        held.Errors.ShouldContain("Nothing was skipped");

        indexers.RpcUrl = chain.Process.RpcUrl.ToString();
        var status = await indexers.RunToEndAsync(dbSchema, "status");
        status.Exit.ShouldBe(0, status.Errors);
        status.Output.ShouldContain("problem: source mint:io:");
        status.Output.ShouldContain("the node could not serve it (RPC getTransaction failed with -32004: Block not available");
        var json = await indexers.RunToEndAsync(dbSchema, "status", "--json");
        json.Exit.ShouldBe(0, json.Errors);
        var statusJson = System.Text.Json.JsonDocument.Parse(json.Output).RootElement;
        var waiting = statusJson.GetProperty("sources").EnumerateArray().First().GetProperty("waiting");
        waiting.GetProperty("reason").GetString()!.ShouldContain("-32004");
        statusJson.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem().GetString()!
            .ShouldContain($"waits for {waiting.GetProperty("signature").GetString()}");
        var verify = await indexers.RunToEndAsync(dbSchema, "verify");
        verify.Exit.ShouldBe(1, verify.Errors);
        verify.Output.ShouldContain("FAIL source mint:io:");

        // The node serves it now: the next backfill stores it and everything agrees.
        var backfill = await indexers.RunToEndAsync(dbSchema, "backfill");
        backfill.Exit.ShouldBe(0, backfill.Errors);
        await indexers.WaitUntilVerifiedAsync(dbSchema, attempts: 1);
        (await indexers.RunToEndAsync(dbSchema, "status")).Output.ShouldNotContain("problem:");
        await indexers.ShouldEqualAsync(dbSchema, await indexers.CleanRunAsync("held_clean"));
    }

    [Fact]
    public async Task status_and_verify_show_an_amount_a_projection_could_not_add_without_wrapping_around()
    {
        var indexers = new IndexerHarness(chain, schema);
        var dbSchema = await indexers.CleanRunAsync("overflow");
        // No chain can mint past u64: the events are written straight into the Ledger, as a bug or a hostile node could.
        await using (var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, dbSchema);
            o.Events.AddEventType<TokensMinted>(); // the indexer's daemon projects them
        }))
        {
            foreach (var (signature, amount) in new[] { ("overflow-1", ulong.MaxValue - 1), ("overflow-2", 2UL) })
            {
                await using var session = store.LightweightSession();
                session.Events.StartStream(signature, new TokensMinted(signature, 1, null, "0", "OverflowMint", "acct", "owner", amount));
                await session.SaveChangesAsync(Ct);
            }
        }

        var verify = await indexers.RunToEndAsync(dbSchema, "verify");
        verify.Exit.ShouldBe(1, verify.Errors);
        verify.Output.ShouldContain("FAIL TokenSupply OverflowMint: 1 event(s) not applied, first TokensMinted overflow-2 at 0: minted: 18446744073709551614 + 2 does not fit in u64");
        verify.Output.ShouldNotContain("1844674407370955161" + "5");
        var status = await indexers.RunToEndAsync(dbSchema, "status");
        status.Output.ShouldContain("problem: TokenSupply OverflowMint: 1 event(s) not applied");
        var report = await indexers.ReportAsync(dbSchema);
        report.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain("OverflowMint");
    }
}
