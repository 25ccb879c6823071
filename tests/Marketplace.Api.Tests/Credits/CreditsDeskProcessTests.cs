using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.Credits;

/// <summary>
/// The credits desk end to end, with real processes: a buyer burns IO through the quote's Solana Pay transaction
/// request, the indexer stores the burn, the desk decides and the outbox mints IOSD; the IOSD is read back from the
/// chain and from the Ledger. IO has 8 decimals, IOSD 6: IOSD = floor(IO base units × rate / 10^8).
/// </summary>
public sealed class CreditsDeskProcessTests(CreditsNetwork network) : IClassFixture<CreditsNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_buyer_burns_io_for_a_quote_and_receives_exactly_the_quoted_iosd_on_chain_and_in_the_ledger()
    {
        var api = await network.StartApiAsync("api", rate: 800_000);
        using var buyer = await network.BuyerWithIoAsync(10_00000000);
        using var http = await CreditsNetwork.SignedInAsync(api, buyer);

        // 2.50000001 IO at 0.80 USD: 2.000000008 USD, so 2,000,000 IOSD base units (the 0.008 micro-USD is not paid).
        using var created = await http.PostAsJsonAsync("/api/credits/quotes", new { ioAmount = 250_000_001UL }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var quote = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        quote.GetProperty("rateMicroUsd").GetUInt64().ShouldBe(800_000UL);
        quote.GetProperty("iosdAmount").GetUInt64().ShouldBe(2_000_000UL);
        var id = quote.GetProperty("id").GetGuid();
        quote.GetProperty("memo").GetString().ShouldBe($"ionet:v1:buy:800000:{id:N}");

        // The wallet's side of the Solana Pay transaction request: GET the label, POST its account, sign, send.
        var label = await http.GetFromJsonAsync<JsonElement>(quote.GetProperty("transactionRequest").GetString(), Ct);
        label.GetProperty("label").GetString().ShouldBe("io.net credits: 2 IOSD");
        using var requested = await http.PostAsJsonAsync(quote.GetProperty("transactionRequest").GetString(), new { account = buyer.PublicKey.ToString() }, Ct);
        requested.StatusCode.ShouldBe(HttpStatusCode.OK, await requested.Content.ReadAsStringAsync(Ct));
        var burn = await network.SignAndSendAsync((await requested.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("transaction").GetString()!, buyer);

        var purchase = await CreditsNetwork.WaitMintedAsync(api, burn);

        purchase.GetProperty("mint").GetString().ShouldBe("Done");
        purchase.GetProperty("rateSource").GetString().ShouldBe("Quote");
        purchase.GetProperty("quote").GetGuid().ShouldBe(id);
        purchase.GetProperty("iosdAmount").GetUInt64().ShouldBe(2_000_000UL);
        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(2_000_000UL);
        var inLedger = (await network.PurchasesInLedgerAsync(burn)).ShouldHaveSingleItem();
        inLedger.IosdMinted.ShouldBe(2_000_000UL);
        inLedger.IoBurned.ShouldBe(250_000_001UL);
        inLedger.Signature.ShouldBe(purchase.GetProperty("mintSignature").GetString());
        (await network.IosdMintsInLedgerAsync(buyer.PublicKey)).ShouldHaveSingleItem().Amount.ShouldBe(2_000_000UL);
        (await http.GetFromJsonAsync<JsonElement>($"/api/credits/quotes/{id:N}", Ct)).GetProperty("usedBy").GetString().ShouldBe(burn);
        var mine = await http.GetFromJsonAsync<JsonElement>("/api/credits/purchases/mine", Ct);
        mine.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("burnSignature").GetString()).ShouldBe([burn]);

        // A quote is honoured once: its transaction is no longer handed out.
        using var again = await http.PostAsJsonAsync(quote.GetProperty("transactionRequest").GetString(), new { account = buyer.PublicKey.ToString() }, Ct);
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await api.KillAsync();
    }

    [Fact]
    public async Task a_burn_after_its_quote_expired_and_a_burn_without_a_quote_both_made_while_no_api_ran_are_minted_at_the_current_rate()
    {
        // The quote is given at 0.80 USD by one process; the burn lands after its expiry (block time) and is decided by a
        // process whose rate is then 1.25 USD.
        var before = await network.StartApiAsync("api-0.80", 800_000, "--Marketplace:Credits:QuoteLifetime=00:00:01");
        using var buyer = await network.BuyerWithIoAsync(10_00000000);
        CreditQuote quote;
        using (var http = await CreditsNetwork.SignedInAsync(before, buyer))
        {
            using var created = await http.PostAsJsonAsync("/api/credits/quotes", new { ioAmount = 100_000_000UL }, Ct);
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            quote = (await created.Content.ReadFromJsonAsync<CreditQuote>(Ct))!;
        }
        quote.IosdAmount.ShouldBe(800_000UL);
        await before.KillAsync();
        await network.WaitForBlockTimeAfterAsync(quote.ExpiresAt);

        // Burned while no API runs: the desk's subscription catches up when one starts.
        var late = await network.BurnAsync(buyer, 100_000_000, 800_000, quote.Id);
        var noQuote = await network.BurnAsync(buyer, 33_333_333, 900_000, null);
        var after = await network.StartApiAsync("api-1.25", 1_250_000);

        var latePurchase = await CreditsNetwork.WaitMintedAsync(after, late);
        latePurchase.GetProperty("rateSource").GetString().ShouldBe("Current");
        latePurchase.GetProperty("rateMicroUsd").GetUInt64().ShouldBe(1_250_000UL);
        latePurchase.GetProperty("iosdAmount").GetUInt64().ShouldBe(1_250_000UL);
        latePurchase.GetProperty("quoteNotHonoured").GetString()!.ShouldContain("expired");
        // 0.33333333 IO at 1.25 USD = 0.4166666625 USD: 416,666 IOSD base units; the memo's own rate (0.90) is not used.
        var plain = await CreditsNetwork.WaitMintedAsync(after, noQuote);
        plain.GetProperty("rateSource").GetString().ShouldBe("Current");
        plain.GetProperty("iosdAmount").GetUInt64().ShouldBe(416_666UL);
        plain.GetProperty("quoteNotHonoured").ValueKind.ShouldBe(JsonValueKind.Null);

        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(1_250_000UL + 416_666UL);
        (await network.PurchasesInLedgerAsync(late)).ShouldHaveSingleItem().IosdMinted.ShouldBe(1_250_000UL);
        (await network.PurchasesInLedgerAsync(noQuote)).ShouldHaveSingleItem().IosdMinted.ShouldBe(416_666UL);
        await after.KillAsync();
    }

    [Fact]
    public async Task two_api_processes_on_one_database_mint_each_burn_exactly_once()
    {
        var first = await network.StartApiAsync("api-1");
        var second = await network.StartApiAsync("api-2");
        using var buyer = await network.BuyerWithIoAsync(10_00000000);
        var amounts = new ulong[] { 100_000_000, 200_000_000, 300_000_000 };
        var burns = new List<string>();
        foreach (var io in amounts)
            burns.Add(await network.BurnAsync(buyer, io, 800_000, null));

        foreach (var burn in burns)
        {
            (await CreditsNetwork.WaitMintedAsync(first, burn)).GetProperty("mint").GetString().ShouldBe("Done");
            (await network.PurchasesInLedgerAsync(burn)).ShouldHaveSingleItem();
            // One transaction was ever built for it: the other replica never signed a second one.
            (await network.MintIntentAsync(burn)).Signatures.ShouldHaveSingleItem();
        }
        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(800_000UL + 1_600_000UL + 2_400_000UL);
        (await network.IosdMintsInLedgerAsync(buyer.PublicKey)).Count.ShouldBe(3);
        await first.KillAsync();
        await second.KillAsync();
    }

    private sealed record CreditQuote(Guid Id, ulong IoAmount, ulong RateMicroUsd, ulong IosdAmount, DateTimeOffset ExpiresAt);
}
