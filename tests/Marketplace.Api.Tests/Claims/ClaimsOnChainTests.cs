using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Claims;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Flows;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Transaction = IoNet.Solana.Transactions.Transaction;

namespace IoNet.MarketplaceApi.Tests.Claims;

/// <summary>
/// Issue 10's claims acceptance, every part real: the localnet, PostgreSQL, the indexer's process and the marketplace
/// (Kestrel on loopback, so @solana/pay can call its transaction request). A supplier that accrues earns from two
/// rentals and claims through Solana Pay; claiming again, replaying the claim transaction and racing claims pay
/// nothing more: the wallet receives exactly its earnings once, as the chain's balances and the Ledger show.
/// </summary>
public sealed class ClaimsOnChainTests(PaymentNetwork net) : IClassFixture<PaymentNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalnetChain Chain => net.Chain;

    private IoNetAddresses Network => net.Chain.Network;

    [Fact]
    public async Task a_supplier_that_accrues_two_rentals_claims_them_once_and_claiming_again_replaying_or_racing_pays_nothing_more()
    {
        using var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var supplier = await Trader.SignInAsync(net.App, wallet, net.Api);
        using var other = await Trader.SignInAsync(net.App, replica: net.Api);
        (await supplier.GetAsync("/api/earnings")).GetProperty("accrue").GetBoolean().ShouldBeFalse();
        var set = await PutAsync(supplier, "/api/earnings/settings", new { accrue = true });
        set.GetProperty("accrue").GetBoolean().ShouldBeTrue();

        // Rental 1: the accruing supplier's H100 at 1.00 USD and another supplier's at 1.20 USD, 30 min served.
        var a1 = await EligibleDeviceAsync(supplier, "H100");
        var b1 = await EligibleDeviceAsync(other, "H100");
        await supplier.PlaceAskAsync(a1, 1_000_000, now: net.App.Clock.GetUtcNow());
        await other.PlaceAskAsync(b1, 1_200_000, now: net.App.Clock.GetUtcNow());
        var first = await RentAndSettleAsync("H100", 2, 1_500_000, 2_205_500);
        var firstSettlement = await supplier.GetAsync($"/api/rentals/{first}/settlement");
        // The other supplier is paid at settlement, as before; the accruing one is not (its payout is accrued).
        firstSettlement.GetProperty("accrued").EnumerateArray().Select(Payout).ShouldBe([(supplier.Address, 498_750UL)]);
        (await IosdAsync(other.Wallet.PublicKey)).ShouldBe(598_500UL);
        (await IosdAsync(wallet.PublicKey)).ShouldBe(0UL);
        // One settlement transaction, for the other supplier and the buyer's refund (the outbox marks it Done on its next pass).
        firstSettlement.GetProperty("transactions").GetArrayLength().ShouldBe(1);

        // Rental 2: the accruing supplier's H200 alone at 2.00 USD, 30 min served: 997,500 accrued.
        var a2 = await EligibleDeviceAsync(supplier, "H200");
        await supplier.PlaceAskAsync(a2, 2_000_000, now: net.App.Clock.GetUtcNow());
        var second = await RentAndSettleAsync("H200", 1, 2_500_000, 2_005_000);
        (await supplier.GetAsync($"/api/rentals/{second}/settlement")).GetProperty("accrued").EnumerateArray().Select(Payout)
            .ShouldBe([(supplier.Address, 997_500UL)]);
        const ulong earned = 498_750 + 997_500;
        var earnings = await supplier.GetAsync("/api/earnings");
        earnings.GetProperty("unpaid").EnumerateArray().Select(u => (u.GetProperty("currency").GetString(), u.GetProperty("amount").GetUInt64()))
            .ShouldBe([("IOSD", earned)]);
        earnings.GetProperty("earnings").GetArrayLength().ShouldBe(2);
        (await IosdAsync(wallet.PublicKey)).ShouldBe(0UL);

        // The transaction request: GET label; two POSTs racing get one claim (the same transaction); @solana/pay fetches it too.
        var link = earnings.GetProperty("transactionRequestLink").GetString()!;
        link.ShouldBe($"{PaymentNetwork.Origin}/api/pay/claims");
        var parsed = await SolanaPayReference.RunOkAsync(new JsonObject { ["op"] = "parse", ["url"] = earnings.GetProperty("transactionRequest").GetString() });
        parsed["link"]!.GetValue<string>().ShouldBe(link);
        (await supplier.GetAsync("/api/pay/claims")).GetProperty("label").GetString().ShouldBe(ClaimsApi.Label);
        var raced = await Task.WhenAll(ClaimAsync(wallet.PublicKey), ClaimAsync(wallet.PublicKey));
        raced[1].Transaction.ShouldBe(raced[0].Transaction);
        raced[0].Message.ShouldBe("Claim 1.49625 IOSD of earnings from 2 rentals");
        var fetched = await SolanaPayReference.RunOkAsync(new JsonObject
        {
            ["op"] = "fetchTransaction", ["rpc"] = Chain.Process.RpcUrl.ToString(), ["account"] = wallet.PublicKey.ToString(), ["link"] = net.Local(link),
        });
        var claim = Transaction.FromBase64(fetched["transaction"]!.GetValue<string>());
        claim.Serialize(requireAllSignatures: false).ShouldBe(Convert.FromBase64String(raced[0].Transaction));
        claim.Message.AccountKeys[0].ShouldBe(wallet.PublicKey);
        claim.Signatures[1].IsEmpty.ShouldBeFalse(); // the escrow authority signed; the wallet's is left to it
        claim.Signatures[0].IsEmpty.ShouldBeTrue();

        // The wallet signs and sends it: paid once the Ledger holds the transfers.
        var signed = claim.Sign(wallet).Serialize();
        var landed = await SendAsync(signed);
        var paid = await Waiting.UntilAsync(() => supplier.GetAsync("/api/earnings"),
            e => e.GetProperty("claims").EnumerateArray().Any(c => c.GetProperty("state").GetString() == "Paid"), "the claim being paid");
        paid.GetProperty("unpaid").GetArrayLength().ShouldBe(0);
        var paidClaim = paid.GetProperty("claims").EnumerateArray().ShouldHaveSingleItem();
        paidClaim.GetProperty("signature").GetString().ShouldBe(landed);
        (await IosdAsync(wallet.PublicKey)).ShouldBe(earned);

        // The same transaction again: the node refuses it (already processed); nothing moves.
        await ReplayAsync(signed);
        (await IosdAsync(wallet.PublicKey)).ShouldBe(earned);

        // Claiming again: nothing to claim, through our endpoint and through @solana/pay.
        using var again = await Anonymous().PostAsJsonAsync("/api/pay/claims", new { account = wallet.PublicKey.ToString() }, Ct);
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var refused = await SolanaPayReference.RunAsync(new JsonObject
        {
            ["op"] = "fetchTransaction", ["rpc"] = Chain.Process.RpcUrl.ToString(), ["account"] = wallet.PublicKey.ToString(), ["link"] = net.Local(link),
        });
        refused[0]!["ok"]!.GetValue<bool>().ShouldBeFalse();

        // The Ledger: one transfer per rental to the wallet, in the claim's transaction; the wallet got exactly its earnings.
        var toWallet = (await SettledToAsync(wallet.PublicKey)).OrderBy(s => s.Amount).ToList();
        toWallet.Select(s => (s.Rental, s.Amount)).ShouldBe([(Rental.StreamKey(first), 498_750UL), (Rental.StreamKey(second), 997_500UL)]);
        toWallet.ShouldAllBe(s => s.Signature == landed);
        (await IosdAsync(wallet.PublicKey)).ShouldBe(toWallet.Aggregate(0UL, (sum, s) => sum + s.Amount));
        (await supplier.RentalAsync(first)).GetProperty("status").GetString().ShouldBe("Settled");
    }

    [Fact]
    public async Task two_claims_in_flight_pay_disjoint_earnings_and_another_replica_answers_the_pending_claim_from_the_database()
    {
        using var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var supplier = await Trader.SignInAsync(net.App, wallet, net.Api);
        await PutAsync(supplier, "/api/earnings/settings", new { accrue = true });
        var device = await EligibleDeviceAsync(supplier, "RTX-4090");
        await supplier.PlaceAskAsync(device, 400_000, now: net.App.Clock.GetUtcNow());
        await RentAndSettleAsync("RTX-4090", 1, 400_000, 401_000); // 30 min: 199,500 accrued

        // Claim 1 reserves the first rental's earning; a second replica on the same database answers the same transaction.
        var claim1 = await ClaimAsync(wallet.PublicKey);
        await using var replica = net.App.Replica(new Dictionary<string, string>
        {
            ["Marketplace:Chain:RpcUrl"] = Chain.Process.RpcUrl.ToString(),
            ["Marketplace:Chain:AddressFile"] = Chain.Process.AddressesFile,
            ["Marketplace:SignIn:Uri"] = PaymentNetwork.Origin,
            ["Marketplace:Outbox:Enabled"] = "false",
        });
        using (var http = replica.CreateClient())
        {
            using var response = await http.PostAsJsonAsync("/api/pay/claims", new { account = wallet.PublicKey.ToString() }, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
            (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("transaction").GetString().ShouldBe(claim1.Transaction);
        }

        // Another rental accrues while claim 1 is pending: claim 2 holds only that remainder.
        await RentAndSettleAsync("RTX-4090", 1, 400_000, 401_000);
        var claim2 = await ClaimAsync(wallet.PublicKey);
        claim2.Transaction.ShouldNotBe(claim1.Transaction);
        claim2.Message.ShouldBe("Claim 0.1995 IOSD of earnings from 1 rental");
        var reserved = await supplier.GetAsync("/api/earnings");
        reserved.GetProperty("unpaid")[0].GetProperty("amount").GetUInt64().ShouldBe(399_000UL);
        reserved.GetProperty("unpaid")[0].GetProperty("reserved").GetUInt64().ShouldBe(399_000UL);
        reserved.GetProperty("claims").EnumerateArray().Select(c => c.GetProperty("state").GetString()).ShouldBe(["Pending", "Pending"]);
        // With both pending and nothing free, a third request repeats the newest.
        (await ClaimAsync(wallet.PublicKey)).Transaction.ShouldBe(claim2.Transaction);

        // Both are signed and sent together: each pays its own earning once.
        var sent = await Task.WhenAll(
            SendAsync(Transaction.FromBase64(claim1.Transaction).Sign(wallet).Serialize()),
            SendAsync(Transaction.FromBase64(claim2.Transaction).Sign(wallet).Serialize()));
        sent[0].ShouldNotBe(sent[1]);
        var paid = await Waiting.UntilAsync(() => supplier.GetAsync("/api/earnings"),
            e => e.GetProperty("claims").EnumerateArray().All(c => c.GetProperty("state").GetString() == "Paid"), "both claims being paid");
        paid.GetProperty("unpaid").GetArrayLength().ShouldBe(0);
        (await IosdAsync(wallet.PublicKey)).ShouldBe(399_000UL);
        (await SettledToAsync(wallet.PublicKey)).Select(s => s.Amount).ShouldBe([199_500UL, 199_500UL]);
        using var again = await Anonymous().PostAsJsonAsync("/api/pay/claims", new { account = wallet.PublicKey.ToString() }, Ct);
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task an_unsubmitted_claim_holds_its_earnings_until_its_blockhash_expires_then_a_new_claim_pays_them_once_and_the_old_can_never_land()
    {
        using var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var supplier = await Trader.SignInAsync(net.App, wallet, net.Api);
        await PutAsync(supplier, "/api/earnings/settings", new { accrue = true });
        var device = await EligibleDeviceAsync(supplier, "L40S");
        await supplier.PlaceAskAsync(device, 500_000, now: net.App.Clock.GetUtcNow());
        await RentAndSettleAsync("L40S", 1, 500_000, 501_250); // 30 min: 249,375 accrued

        // Handed out, never sent: while its blockhash may land, asking again answers the same transaction.
        var old = await ClaimAsync(wallet.PublicKey);
        (await ClaimAsync(wallet.PublicKey)).Transaction.ShouldBe(old.Transaction);
        var lastValid = (await supplier.GetAsync("/api/earnings")).GetProperty("claims")[0].GetProperty("lastValidBlockHeight").GetUInt64();

        // Once the chain is past its last valid block height it can never land: released, and a new claim pays the same earning.
        await Waiting.UntilAsync(() => Chain.Rpc.GetBlockHeightAsync(Commitment.Finalized, Ct), h => h > lastValid, "the claim's blockhash expiring");
        var renewed = await ClaimAsync(wallet.PublicKey);
        renewed.Transaction.ShouldNotBe(old.Transaction);
        renewed.Message.ShouldBe("Claim 0.249375 IOSD of earnings from 1 rental");
        var states = (await supplier.GetAsync("/api/earnings")).GetProperty("claims").EnumerateArray()
            .Select(c => (c.GetProperty("state").GetString(), c.GetProperty("releaseReason").GetString())).ToList();
        states.ShouldBe([("Pending", null), ("Released", "its blockhash expired without it landing")]);
        var stale = await Should.ThrowAsync<RpcException>(() =>
            Chain.Rpc.SendTransactionAsync(Transaction.FromBase64(old.Transaction).Sign(wallet).Serialize(), cancellationToken: Ct));
        stale.Message.ShouldContain("lockhash", Case.Insensitive);

        await SendAsync(Transaction.FromBase64(renewed.Transaction).Sign(wallet).Serialize());
        await Waiting.UntilAsync(() => supplier.GetAsync("/api/earnings"),
            e => e.GetProperty("unpaid").GetArrayLength() == 0, "the renewed claim being paid");
        (await IosdAsync(wallet.PublicKey)).ShouldBe(249_375UL);
        (await SettledToAsync(wallet.PublicKey)).ShouldHaveSingleItem().Amount.ShouldBe(249_375UL);
    }

    [Fact]
    public async Task a_claim_request_names_the_problem_for_a_bad_account_or_a_wallet_with_nothing_to_claim()
    {
        using var http = Anonymous();
        using var bad = await http.PostAsJsonAsync("/api/pay/claims", new { account = "not-a-key" }, Ct);
        await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using var nothing = await http.PostAsJsonAsync("/api/pay/claims", new { account = Keypair.Generate().PublicKey.ToString() }, Ct);
        await nothing.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using var unauthenticated = await http.PutAsJsonAsync("/api/earnings/settings", new { accrue = true }, Ct);
        unauthenticated.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var supplier = await Trader.SignInAsync(net.App, replica: net.Api);
        using var missing = await supplier.Http.PutAsJsonAsync("/api/earnings/settings", new { }, Ct);
        await missing.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private static (string, ulong) Payout(JsonElement p) => (p.GetProperty("supplier").GetString()!, p.GetProperty("amount").GetUInt64());

    private HttpClient Anonymous() => new() { BaseAddress = net.Address };

    private sealed record ClaimAnswer(string Transaction, string Message);

    private async Task<ClaimAnswer> ClaimAsync(PublicKey account)
    {
        using var http = Anonymous();
        using var response = await http.PostAsJsonAsync("/api/pay/claims", new { account = account.ToString() }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        return new ClaimAnswer(body.GetProperty("transaction").GetString()!, body.GetProperty("message").GetString()!);
    }

    private static async Task<JsonElement> PutAsync(Trader trader, string path, object body)
    {
        using var response = await trader.Http.PutAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<Guid> EligibleDeviceAsync(Trader supplier, string model)
    {
        var device = await supplier.RegisterDeviceAsync(model, 1);
        using var op = await Trader.SignInAsync(net.App, net.App.Operator, net.Api);
        await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "claims test" });
        return device;
    }

    /// <summary>A buyer rents <paramref name="gpus"/> GPUs of <paramref name="model"/> for 1 h, pays, uses 30 min, ends it; settled.</summary>
    private async Task<Guid> RentAndSettleAsync(string model, int gpus, ulong maxPrice, ulong due)
    {
        using var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var buyer = await Trader.SignInAsync(net.App, wallet, net.Api);
        var rental = (await buyer.PlaceBidAsync(model, gpus, maxPrice, hours: 1, currency: "Iosd")).GetProperty("rentalId").GetGuid();
        (await buyer.RentalAsync(rental)).GetProperty("amountDue").GetUInt64().ShouldBe(due);
        var mint = Network.Iosd;
        var authority = Chain.Authority("iosd");
        await Chain.ExecuteAsync(authority,
        [
            AssociatedTokenInstruction.CreateIdempotent(authority.PublicKey, wallet.PublicKey, mint.Address, mint.TokenProgram).Build(),
            new MintTo(mint.Address, mint.AccountOf(wallet.PublicKey), authority.PublicKey, due) { ProgramId = mint.TokenProgram }.Build(),
        ], [authority], Ct);
        await SendAsync(await Chain.SignAsync(wallet, IoNetFlows.FundRental(wallet.PublicKey, mint, Network.EscrowAuthority, rental, due), ct: Ct));
        await Waiting.UntilAsync(() => buyer.RentalAsync(rental), r => r.GetProperty("status").GetString() == "Active", "the rental becoming active");
        net.App.Clock.Advance(TimeSpan.FromMinutes(30));
        await buyer.PostAsync($"/api/rentals/{rental}/end");
        await Waiting.UntilAsync(() => buyer.RentalAsync(rental), r => r.GetProperty("status").GetString() == "Settled", "the rental being settled");
        // Its devices back in the book before the next rental of the same model.
        foreach (var device in (await buyer.RentalAsync(rental)).GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("device").GetGuid()))
            await Waiting.UntilAsync(() => buyer.GetAsync($"/api/devices/{device}"), d => d.GetProperty("status").GetString() == "Idle", "the device being idle");
        return rental;
    }

    private async Task<string> SendAsync(byte[] signed)
    {
        var signature = await Chain.Rpc.SendTransactionAsync(signed, cancellationToken: Ct);
        var landed = await Waiting.UntilAsync(() => Chain.Rpc.GetTransactionAsync(signature, TransactionEncoding.Json, cancellationToken: Ct),
            t => t is not null, $"transaction {signature} landing");
        landed!.Meta!.Err.ShouldBeNull();
        return signature;
    }

    private async Task ReplayAsync(byte[] signed)
    {
        var refused = await Should.ThrowAsync<RpcException>(() => Chain.Rpc.SendTransactionAsync(signed, cancellationToken: Ct));
        TransactionFates.IsAlreadyProcessed(refused).ShouldBeTrue(refused.Message);
    }

    private Task<ulong> IosdAsync(PublicKey owner) => Chain.TokenBalanceAsync(Network.Iosd.AccountOf(owner), Ct);

    private async Task<IReadOnlyList<RentalSettled>> SettledToAsync(PublicKey wallet)
    {
        var supplier = wallet.ToString();
        await using var session = net.Api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryRawEventDataOnly<RentalSettled>().Where(e => e.Supplier == supplier).ToListAsync(Ct);
    }
}
