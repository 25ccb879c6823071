using System.Text.Json;
using IoNet.ExplorerGraphQL.Tests.Support;

namespace IoNet.ExplorerGraphQL.Tests.Marketplace;

/// <summary>CreditsRequested (an IO burn under a `buy` memo) is listed, linked to the IOSD mint that paid it, and shown in its transaction.</summary>
public sealed class CreditRequestsTests(MarketplaceLedger market) : IClassFixture<MarketplaceLedger>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task credit_requests_list_each_burn_with_the_iosd_mint_that_paid_it_and_transactions_show_them()
    {
        var requests = (await market.GraphQL.DataAsync("""
            query($buyer: String) { creditRequests(first: 10, filter: { owner: $buyer }) { edges { node {
              signature buyer ioBurned rateMicroUsd quote purchase { burnSignature iosdMinted } } } } }
            """, new { buyer = market.BuyerTwo }, Ct)).GetProperty("creditRequests").GetProperty("edges").EnumerateArray()
            .Select(e => e.GetProperty("node")).ToList();

        requests.Select(r => r.Str("signature")).ShouldBe([market.OpenCreditRequest, market.PaidCreditRequest], "newest first");
        var paid = requests[1];
        (paid.Str("buyer"), paid.U64("ioBurned"), paid.U64("rateMicroUsd")).ShouldBe((market.BuyerTwo, 250_000_000UL, 2_000_000UL));
        (paid.GetProperty("purchase").Str("burnSignature"), paid.GetProperty("purchase").U64("iosdMinted")).ShouldBe((market.PaidCreditRequest, 5_000_000UL));
        requests[0].GetProperty("purchase").ValueKind.ShouldBe(JsonValueKind.Null, "not minted yet");
        requests[0].GetProperty("quote").ValueKind.ShouldBe(JsonValueKind.String);

        var tx = (await market.GraphQL.DataAsync("""
            query($s: String!) { transaction(signature: $s) { events { __typename ... on CreditsRequested { ioBurned } } } }
            """, new { s = market.PaidCreditRequest }, Ct)).GetProperty("transaction");
        tx.GetProperty("events").EnumerateArray().Select(e => e.Str("__typename")).ShouldBe(["CreditsRequested"]);
        (await market.GraphQL.Http.GetStringAsync($"/tx/{market.PaidCreditRequest}", Ct)).ShouldContain("CreditsRequested");
    }
}
