using IoNet.ExplorerGraphQL.Tests.Support;
using IoNet.Explorer.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.ExplorerGraphQL.Tests.Marketplace;

/// <summary>
/// The home page's data (network, newest payouts and burns, supply charts) is cached until the Ledger moves: a repeated
/// request reads nothing from PostgreSQL, and what the indexer stores afterwards appears once the explorer's feed sees
/// the Ledger advance. Repeated queries are parsed once.
/// </summary>
public sealed class HomeCacheTests(MarketplaceLedger market) : IClassFixture<MarketplaceLedger>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Home = """
        query Home { network { registeredDevices marketPrices { gpuModel bestAsk } chain { storedEvents projectedEvents } }
          payouts(first: 8) { edges { node { signature amount } } } burns(first: 8) { edges { node { signature amount } } } }
        """;

    [Fact]
    public async Task a_repeated_home_query_reads_nothing_until_the_ledger_moves_and_then_shows_the_new_burn()
    {
        await market.CaughtUpAsync();
        await Statements.OfAsync(market.GraphQL, Home, new { }, Ct);
        (await Statements.OfAsync(market.GraphQL, Home, new { }, Ct)).ShouldBe(0, "the second home query is served from the cache");
        var page = await market.GraphQL.Http.GetStringAsync("/", Ct);
        (await market.GraphQL.Http.GetStringAsync("/", Ct)).ShouldBe(page, "the home page, cached, is the same");

        var signature = await market.MintAndBurnAsync();

        // The daemon projects the new events, the feed sees the Ledger move, the next request reads afresh.
        await Waiting.UntilAsync(async () => (await market.GraphQL.DataAsync(Home, ct: Ct)).GetProperty("burns").GetProperty("edges")
            .EnumerateArray().Any(e => e.GetProperty("node").Str("signature") == signature), found => found, "the new burn in the home query");
        await Waiting.UntilAsync(() => market.GraphQL.Http.GetStringAsync("/", Ct), html => html.Contains($"/tx/{signature}", StringComparison.Ordinal),
            "the new burn on the home page");
    }

    [Fact]
    public async Task a_query_sent_again_is_not_parsed_again()
    {
        var runner = market.Explorer.Services.GetRequiredService<GraphQLRunner>();
        var query = $"{{ devices(first: 3) {{ edges {{ node {{ id status }} }} }} __typename }} # {Guid.NewGuid()}";
        var before = runner.ParsedDocuments;
        await market.GraphQL.DataAsync(query, ct: Ct);
        var kept = runner.ParsedDocuments;
        kept.ShouldBe(before + 1, "a new text is parsed and kept");
        await market.GraphQL.DataAsync(query, ct: Ct);
        await market.GraphQL.DataAsync(query, ct: Ct);
        runner.ParsedDocuments.ShouldBe(kept, "the same text is found, not parsed and added again");
        (await market.GraphQL.PostAsync("{ devices(first: 3) { nope } }", ct: Ct)).Status.ShouldBe(400, "validation still runs on every request");
    }
}
