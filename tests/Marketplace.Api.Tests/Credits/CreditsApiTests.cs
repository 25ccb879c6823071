using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IoNet.MarketplaceApi.Tests.Credits;

/// <summary>The credits endpoints in process (a real localnet for the network's addresses and blockhashes): inputs, owners, errors.</summary>
public sealed class CreditsApiTests(MarketplaceApp app, LocalnetChain chain) : IClassFixture<MarketplaceApp>, IClassFixture<LocalnetChain>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebApplicationFactory<Program>? _factory;

    private WebApplicationFactory<Program> Api => _factory ??= app.Replica(new Dictionary<string, string>
    {
        ["Marketplace:Chain:RpcUrl"] = chain.Process.RpcUrl.ToString(),
        ["Marketplace:Chain:AddressFile"] = chain.Process.AddressesFile,
        ["Marketplace:Rates:IoMicroUsd"] = "800000",
        ["Marketplace:Credits:QuoteLifetime"] = "00:02:00",
    });

    private async Task<HttpClient> SignedInAsync(Keypair wallet)
    {
        var http = MarketplaceApp.ClientOf(Api);
        return MarketplaceApp.ClientOf(Api, await app.SignInAsync(wallet, http));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task the_rate_is_public()
    {
        var rate = await MarketplaceApp.ClientOf(Api).GetFromJsonAsync<JsonElement>("/api/credits/rate", Ct);

        rate.GetProperty("rateMicroUsd").GetUInt64().ShouldBe(800_000UL);
        rate.GetProperty("ioDecimals").GetInt32().ShouldBe(8);
        rate.GetProperty("iosdDecimals").GetInt32().ShouldBe(6);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"ioAmount\":0}")]
    [InlineData("{\"ioAmount\":124}")]
    [InlineData("{\"ioAmount\":-1}")]
    [InlineData("{\"ioAmount\":\"100\"}")]
    [InlineData("{\"ioAmount\":1.5}")]
    [InlineData("{\"ioAmount\":18446744073709551616}")]
    [InlineData("{\"ioAmount\":100,\"rate\":1}")]
    public async Task a_quote_for_no_amount_dust_a_wrong_number_or_more_iosd_than_a_u64_is_a_400_problem(string body)
    {
        using var wallet = Keypair.Generate();
        using var http = await SignedInAsync(wallet);

        using var response = await http.PostAsync("/api/credits/quotes", Json(body), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_quote_needs_a_signed_in_wallet()
    {
        using var response = await MarketplaceApp.ClientOf(Api).PostAsync("/api/credits/quotes", Json("{\"ioAmount\":100000000}"), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task the_transaction_request_gives_the_quotes_wallet_its_unsigned_burn_and_refuses_every_other_wallet()
    {
        var buyer = await chain.NewWalletAsync(ct: Ct);
        using var treasury = chain.Authority("treasury");
        await chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, chain.Network.Io, buyer.PublicKey, 0, Guid.NewGuid(), 3_00000000), [treasury], Ct);
        using var http = await SignedInAsync(buyer);
        using var created = await http.PostAsync("/api/credits/quotes", Json("{\"ioAmount\":250000000}"), Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var quote = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = quote.GetProperty("id").GetGuid();
        var path = quote.GetProperty("transactionRequest").GetString()!;
        quote.GetProperty("solanaPayUrl").GetString().ShouldBe("solana:" + Uri.EscapeDataString("http://localhost" + path));
        using var anyone = MarketplaceApp.ClientOf(Api);
        var label = await anyone.GetFromJsonAsync<JsonElement>(path, Ct);
        label.GetProperty("label").GetString().ShouldBe("io.net credits: 2 IOSD");
        using var icon = await anyone.GetAsync(label.GetProperty("icon").GetString(), Ct);
        icon.StatusCode.ShouldBe(HttpStatusCode.OK);
        icon.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");

        using var answer = await anyone.PostAsync(path, Json($"{{\"account\":\"{buyer.PublicKey}\"}}"), Ct);

        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync(Ct));
        var transaction = Transaction.FromBase64((await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("transaction").GetString()!);
        transaction.IsFullySigned.ShouldBeFalse();
        transaction.Message.AccountKeys[0].ShouldBe(buyer.PublicKey);
        var message = transaction.Message;
        var instructions = message.Instructions.Select(i => Programs.Decoding.InstructionDecoder.Decode(message.AccountKeys[i.ProgramIdIndex],
            i.Accounts.ToArray().Select(a => new AccountMeta(message.AccountKeys[a], message.IsSigner(a), message.IsWritable(a))).ToList(), i.Data.Span)).ToList();
        instructions[0].ShouldBeOfType<MemoInstruction>().Text.ShouldBe(new BuyMemo(800_000, id).Text);
        instructions[1].ShouldBe(new BurnChecked(chain.Network.Io.AccountOf(buyer.PublicKey), chain.Network.Io.Address, buyer.PublicKey, 250_000_000, 8));

        using var other = Keypair.Generate();
        await (await anyone.PostAsync(path, Json($"{{\"account\":\"{other.PublicKey}\"}}"), Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await anyone.PostAsync(path, Json("{\"account\":\"not-an-address\"}"), Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await anyone.PostAsync($"/api/credits/quotes/{Guid.NewGuid():N}/transaction", Json($"{{\"account\":\"{buyer.PublicKey}\"}}"), Ct))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_wallet_without_the_io_gets_no_transaction()
    {
        using var poor = Keypair.Generate();
        using var http = await SignedInAsync(poor);
        using var created = await http.PostAsync("/api/credits/quotes", Json("{\"ioAmount\":250000000}"), Ct);
        var path = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("transactionRequest").GetString()!;

        using var answer = await http.PostAsync(path, Json($"{{\"account\":\"{poor.PublicKey}\"}}"), Ct);

        (await answer.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("holds 0 IO base units");
    }

    [Fact]
    public async Task a_purchase_is_looked_up_by_a_transaction_signature()
    {
        using var http = MarketplaceApp.ClientOf(Api);

        await (await http.GetAsync("/api/credits/purchases/xyz", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await http.GetAsync($"/api/credits/purchases/{new Signature(new byte[64])}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await http.GetAsync($"/api/credits/quotes/{Guid.NewGuid():N}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task only_an_operator_lists_the_outbox_and_by_a_known_state_only()
    {
        using var wallet = Keypair.Generate();
        using var someone = await SignedInAsync(wallet);
        using var operatorClient = await SignedInAsync(app.Operator);

        await (await someone.GetAsync("/api/operator/outbox", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await operatorClient.GetAsync("/api/operator/outbox?state=Lost", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await operatorClient.GetAsync("/api/operator/outbox?limit=0", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var page = await operatorClient.GetFromJsonAsync<JsonElement>("/api/operator/outbox?state=Pending&kind=credits", Ct);
        page.GetProperty("items").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Fact]
    public async Task the_credits_endpoints_are_in_the_openapi_document()
    {
        var document = await MarketplaceApp.ClientOf(Api).GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/api/credits/rate", "/api/credits/quotes", "/api/credits/quotes/{id}", "/api/credits/quotes/{id}/transaction", "/api/credits/purchases/{burnSignature}" })
            paths.TryGetProperty(path, out _).ShouldBeTrue(path);
    }
}
