using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Marketplace.Payments;
using IoNet.Marketplace.Rentals;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.SolanaPay;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using TokenAmount = IoNet.Programs.SolanaPay.TokenAmount;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Payments;

/// <summary>
/// Paying a rental for real: the buyer's wallet (a real signer) pays on the localnet, the indexer's process stores what
/// it sees, and the marketplace activates the rental only when the stored RentalFunded events in the rental's mint, into
/// its escrow vault, add up to what is due. Solana Pay's URLs and transaction request are checked with @solana/pay.
/// </summary>
public sealed class RentalPaymentOnChainTests(PaymentNetwork net) : IClassFixture<PaymentNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalnetChain Chain => net.Chain;

    private IoNetAddresses Network => net.Chain.Network;

    private async Task<Guid> EligibleDeviceAsync(Trader supplier, string model, int gpus)
    {
        var device = await supplier.RegisterDeviceAsync(model, gpus);
        using var op = await Trader.SignInAsync(net.App, net.App.Operator, net.Api);
        await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked by hand" });
        return device;
    }

    /// <summary>Mints <paramref name="amount"/> of <paramref name="mint"/> to the wallet (its mint authority signs).</summary>
    private async Task FundAsync(Keypair wallet, MintInfo mint, string authorityName, ulong amount)
    {
        var authority = Chain.Authority(authorityName);
        await Chain.ExecuteAsync(authority,
        [
            AssociatedTokenInstruction.CreateIdempotent(authority.PublicKey, wallet.PublicKey, mint.Address, mint.TokenProgram).Build(),
            new MintTo(mint.Address, mint.AccountOf(wallet.PublicKey), authority.PublicKey, amount) { ProgramId = mint.TokenProgram }.Build(),
        ], [authority], Ct);
    }

    private async Task<TransactionResponse> SendAsync(byte[] signed)
    {
        var signature = await Chain.Rpc.SendTransactionAsync(signed, cancellationToken: Ct);
        var landed = await Waiting.UntilAsync(() => Chain.Rpc.GetTransactionAsync(signature, TransactionEncoding.Json, cancellationToken: Ct),
            t => t is not null, $"transaction {signature} landing");
        landed!.Meta!.Err.ShouldBeNull();
        return landed;
    }

    private static Task<JsonElement> UntilAsync(Trader buyer, Guid rental, Func<JsonElement, bool> done, string what) =>
        Waiting.UntilAsync(() => buyer.RentalAsync(rental), done, what);

    private static int PaymentsOf(JsonElement rental) => rental.GetProperty("payments").GetArrayLength();

    [Fact]
    public async Task a_rental_is_active_only_once_the_indexer_stored_its_whole_payment_in_its_mint_into_its_vault_then_is_extended_and_ended()
    {
        using var supplierA = await Trader.SignInAsync(net.App, replica: net.Api);
        using var supplierB = await Trader.SignInAsync(net.App, replica: net.Api);
        using var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var buyer = await Trader.SignInAsync(net.App, wallet, net.Api);
        var twoGpus = await EligibleDeviceAsync(supplierA, "H100", 2);
        var oneGpu = await EligibleDeviceAsync(supplierB, "H100", 1);
        var now = net.App.Clock.GetUtcNow();
        await supplierA.PlaceAskAsync(twoGpus, 1_000_000, now: now);
        await supplierB.PlaceAskAsync(oneGpu, 1_200_000, now: now);

        var bid = await buyer.PlaceBidAsync("H100", 3, 1_500_000, hours: 2, currency: "Iosd");
        var rental = bid.GetProperty("rentalId").GetGuid();
        // 3.2 USD an hour for 2 h = 6.4 IOSD, plus the 0.25 % reservation fee 0.016: 6.416 IOSD.
        const ulong due = 6_416_000;
        (await buyer.RentalAsync(rental)).GetProperty("amountDue").GetUInt64().ShouldBe(due);
        await FundAsync(wallet, Network.Iosd, "iosd", 20_000_000);
        await FundAsync(wallet, Network.Usdc, "usdc", 20_000_000);

        // The payment request: a transfer request URL and a transaction request, as @solana/pay reads them.
        var request = await buyer.GetAsync($"/api/rentals/{rental}/payment");
        request.GetProperty("amount").GetUInt64().ShouldBe(due);
        request.GetProperty("amountText").GetString().ShouldBe("6.416");
        request.GetProperty("vault").GetString().ShouldBe(Network.EscrowVault(Network.Iosd).ToString());
        var transferUrl = request.GetProperty("transferRequest").GetString()!;
        var transfer = TransferRequest.Parse(transferUrl, Network.Iosd.Decimals);
        var parsed = await SolanaPayReference.RunOkAsync(new JsonObject { ["op"] = "parse", ["url"] = transferUrl });
        parsed["kind"]!.GetValue<string>().ShouldBe("transfer");
        parsed["recipient"]!.GetValue<string>().ShouldBe(Network.EscrowAuthority.ToString());
        parsed["amount"]!.GetValue<string>().ShouldBe("6.416");
        parsed["splToken"]!.GetValue<string>().ShouldBe(Network.Iosd.Address.ToString());
        parsed["reference"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe([IoNetReferences.Rental(rental).ToString()]);
        parsed["memo"]!.GetValue<string>().ShouldBe(new FundMemo(rental).Text);
        parsed["label"]!.GetValue<string>().ShouldBe(PayApi.Label);
        parsed["message"]!.GetValue<string>().ShouldBe(transfer.Message);
        var encoded = await SolanaPayReference.RunOkAsync(new JsonObject { ["op"] = "encode", ["fields"] = parsed.DeepClone() });
        TransferRequest.Parse(encoded["url"]!.GetValue<string>(), Network.Iosd.Decimals).ShouldBe(transfer);
        var link = request.GetProperty("transactionRequestLink").GetString()!;
        link.ShouldBe($"{PaymentNetwork.Origin}/api/pay/rentals/{rental:N}");
        var linkParsed = await SolanaPayReference.RunOkAsync(new JsonObject { ["op"] = "parse", ["url"] = request.GetProperty("transactionRequest").GetString() });
        linkParsed["kind"]!.GetValue<string>().ShouldBe("transaction");
        linkParsed["link"]!.GetValue<string>().ShouldBe(link);

        // 1. The whole amount with the rental's memo and reference, but to another wallet: never a RentalFunded.
        using var stranger = Keypair.Generate();
        await SendAsync(await Chain.SignAsync(wallet, IoNetFlows.FundRental(wallet.PublicKey, Network.Iosd, stranger.PublicKey, rental, due), ct: Ct));
        // 2. The whole amount into the USDC escrow vault: stored, recorded, never counted.
        await SendAsync(await Chain.SignAsync(wallet, IoNetFlows.FundRental(wallet.PublicKey, Network.Usdc, Network.EscrowAuthority, rental, due), ct: Ct));
        var afterWrongMint = await UntilAsync(buyer, rental, r => PaymentsOf(r) == 1, "the USDC payment being recorded");
        afterWrongMint.GetProperty("payments")[0].GetProperty("counted").GetBoolean().ShouldBeFalse();
        afterWrongMint.GetProperty("payments")[0].GetProperty("mint").GetString().ShouldBe(Network.Usdc.Address.ToString());
        afterWrongMint.GetProperty("funded").GetUInt64().ShouldBe(0UL);
        afterWrongMint.GetProperty("status").GetString().ShouldBe("AwaitingPayment");

        // 3. One base unit short, as a Solana Pay transfer built from the URL: counted, and still not active.
        var shortOne = transfer with { Amount = TokenAmount.Format(due - 1, Network.Iosd.Decimals) };
        await SendAsync(await Chain.SignAsync(wallet, SolanaPayTransfer.Build(wallet.PublicKey, shortOne, Network.Iosd.Decimals).ToList(), ct: Ct));
        var underpaid = await UntilAsync(buyer, rental, r => PaymentsOf(r) == 2, "the short payment being recorded");
        underpaid.GetProperty("funded").GetUInt64().ShouldBe(due - 1);
        underpaid.GetProperty("outstanding").GetUInt64().ShouldBe(1UL);
        underpaid.GetProperty("status").GetString().ShouldBe("AwaitingPayment");

        // 4. The rest through the transaction request: @solana/pay fetches it, the wallet signs it here.
        var label = await buyer.GetAsync($"/api/pay/rentals/{rental:N}");
        label.GetProperty("label").GetString().ShouldBe(PayApi.Label);
        label.GetProperty("icon").GetString().ShouldBe($"{PaymentNetwork.Origin}/api/pay/icon.svg");
        var fetched = await SolanaPayReference.RunOkAsync(new JsonObject
        {
            ["op"] = "fetchTransaction", ["rpc"] = Chain.Process.RpcUrl.ToString(), ["account"] = wallet.PublicKey.ToString(), ["link"] = net.Local(link),
        });
        var unsigned = IoNet.Solana.Transactions.Transaction.FromBase64(fetched["transaction"]!.GetValue<string>());
        unsigned.Message.AccountKeys[0].ShouldBe(wallet.PublicKey);
        var landed = await SendAsync(unsigned.Sign(wallet).Serialize());
        LocalnetChain.TopLevel(landed).ShouldBe(
            IoNetFlows.FundRental(wallet.PublicKey, Network.Iosd, Network.EscrowAuthority, rental, 1).Select(InstructionDecoder.Decode));
        var active = await UntilAsync(buyer, rental, r => r.GetProperty("status").GetString() == "Active", "the rental becoming active");
        active.GetProperty("funded").GetUInt64().ShouldBe(due);
        active.GetProperty("payments").GetArrayLength().ShouldBe(3);
        var activatedAt = active.GetProperty("activatedAt").GetDateTimeOffset();
        active.GetProperty("endsAt").GetDateTimeOffset().ShouldBe(activatedAt.AddHours(2));
        (await supplierA.GetAsync($"/api/devices/{twoGpus}")).GetProperty("status").GetString().ShouldBe("Hired");
        await (await buyer.Http.GetAsync($"/api/rentals/{rental}/payment", Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // 5. An extension of 1 h, paid into the same escrow with 5 base units too many: extended, the excess recorded.
        var extended = await buyer.PostAsync($"/api/rentals/{rental}/extend", new { hours = 1 });
        var extensionDue = extended.GetProperty("extension").GetProperty("amountDue").GetUInt64();
        extensionDue.ShouldBe(3_208_000UL);
        var extensionRequest = await buyer.GetAsync($"/api/rentals/{rental}/payment");
        extensionRequest.GetProperty("amount").GetUInt64().ShouldBe(extensionDue);
        var extensionTransfer = TransferRequest.Parse(extensionRequest.GetProperty("transferRequest").GetString()!, Network.Iosd.Decimals);
        var generous = extensionTransfer with { Amount = TokenAmount.Format(extensionDue + 5, Network.Iosd.Decimals) };
        await SendAsync(await Chain.SignAsync(wallet, SolanaPayTransfer.Build(wallet.PublicKey, generous, Network.Iosd.Decimals).ToList(), ct: Ct));
        var longer = await UntilAsync(buyer, rental, r => r.GetProperty("hours").GetInt32() == 3, "the extension being paid");
        longer.GetProperty("endsAt").GetDateTimeOffset().ShouldBe(activatedAt.AddHours(3));
        longer.GetProperty("amountDue").GetUInt64().ShouldBe(due + extensionDue);
        longer.GetProperty("overpaid").GetUInt64().ShouldBe(5UL);

        // 6. The buyer ends it early: Terminated (BuyerEnded), the devices back in the book.
        net.App.Clock.Advance(TimeSpan.FromMinutes(30));
        var ended = await buyer.PostAsync($"/api/rentals/{rental}/end");
        ended.GetProperty("status").GetString().ShouldBe("Terminated");
        ended.GetProperty("endReason").GetString().ShouldBe("BuyerEnded");
        await Waiting.UntilAsync(() => supplierA.GetAsync("/api/orders/mine"),
            mine => mine.GetProperty("asks")[0].GetProperty("status").GetString() == "Listed", "the device back in the book");
        (await supplierB.GetAsync($"/api/devices/{oneGpu}")).GetProperty("status").GetString().ShouldBe("Idle");

        // 7. Settlement (30 min served by 3.2 USD an hour): a gets 997,500 and b 598,500 (usage less 0.25 %), the buyer pays
        // 1,604,000 (1.6 USD + 0.25 %) and gets the rest of its IOSD back, and its USDC payment back in USDC; the IOSD
        // escrow vault keeps the 8,000 of fees. Read back from the chain once the Ledger holds every transfer.
        var settled = await UntilAsync(buyer, rental, r => r.GetProperty("status").GetString() == "Settled", "the rental being settled");
        settled.GetProperty("funded").GetUInt64().ShouldBe(due + extensionDue + 5);
        var settlement = await buyer.GetAsync($"/api/rentals/{rental}/settlement");
        settlement.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("servedSeconds").GetInt64()).ShouldBe([1_800L, 1_800L]);
        (settlement.GetProperty("charged").GetUInt64(), settlement.GetProperty("fees").GetUInt64(), settlement.GetProperty("refund").GetUInt64())
            .ShouldBe((1_604_000UL, 8_000UL, due + extensionDue + 5 - 1_604_000));
        (await Chain.TokenBalanceAsync(Network.Iosd.AccountOf(supplierA.Wallet.PublicKey), Ct)).ShouldBe(997_500UL);
        (await Chain.TokenBalanceAsync(Network.Iosd.AccountOf(supplierB.Wallet.PublicKey), Ct)).ShouldBe(598_500UL);
        (await Chain.TokenBalanceAsync(Network.Iosd.AccountOf(wallet.PublicKey), Ct)).ShouldBe(20_000_000 - due - 1_604_000);
        (await Chain.TokenBalanceAsync(Network.Usdc.AccountOf(wallet.PublicKey), Ct)).ShouldBe(20_000_000UL);
        // The vault keeps the 8,000 of fees: what came in (due + extension + 5) less what went to the suppliers and back
        // to the buyer, each read above. Not read off the vault itself: the class's other tests settle through the same
        // shared IOSD escrow vault at the same time (its balance caught one of their settlements in flight).
        (due + extensionDue + 5 - 997_500UL - 598_500UL - (due + extensionDue + 5 - 1_604_000)).ShouldBe(8_000UL);
        // Nothing was paid to the stranger's address by the escrow; its transfer stays where it went.
        (await Chain.TokenBalanceAsync(Network.Iosd.AccountOf(stranger.PublicKey), Ct)).ShouldBe(due);
    }

    [Fact]
    public async Task a_paid_rental_completes_at_its_booked_end_with_the_time_a_device_was_down_recorded_for_settlement()
    {
        using var supplier = await Trader.SignInAsync(net.App, replica: net.Api);
        using var op = await Trader.SignInAsync(net.App, net.App.Operator, net.Api);
        using var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var buyer = await Trader.SignInAsync(net.App, wallet, net.Api);
        var device = await EligibleDeviceAsync(supplier, "RTX-4090", 1);
        await supplier.PlaceAskAsync(device, 400_000, now: net.App.Clock.GetUtcNow());
        var rental = (await buyer.PlaceBidAsync("RTX-4090", 1, 400_000, hours: 1, currency: "Iosd")).GetProperty("rentalId").GetGuid();
        const ulong due = 401_000; // 0.4 USD + 0.25 %
        await FundAsync(wallet, Network.Iosd, "iosd", due);
        await SendAsync(await Chain.SignAsync(wallet, IoNetFlows.FundRental(wallet.PublicKey, Network.Iosd, Network.EscrowAuthority, rental, due), ct: Ct));
        var active = await UntilAsync(buyer, rental, r => r.GetProperty("status").GetString() == "Active", "the rental becoming active");
        var endsAt = active.GetProperty("endsAt").GetDateTimeOffset();

        // The device goes down for a while: the rental records the span (settlement pays nothing for it).
        net.App.Clock.Advance(TimeSpan.FromMinutes(10));
        await op.PostAsync($"/api/operator/devices/{device}/status", new { status = "Down", reason = "no heartbeat" });
        var down = await UntilAsync(buyer, rental, r => r.GetProperty("unavailable").GetArrayLength() == 1, "the unavailable span opening");
        var span = down.GetProperty("unavailable")[0];
        span.GetProperty("device").GetGuid().ShouldBe(device);
        span.GetProperty("to").ValueKind.ShouldBe(JsonValueKind.Null);
        net.App.Clock.Advance(TimeSpan.FromMinutes(5));
        await op.PostAsync($"/api/operator/devices/{device}/status", new { status = "Idle", reason = "back" });
        await UntilAsync(buyer, rental, r => r.GetProperty("unavailable")[0].GetProperty("to").ValueKind != JsonValueKind.Null, "the span closing");

        net.App.Clock.Set(endsAt);
        await net.Api.Services.GetRequiredService<RentalMonitor>().RunOnceAsync(Ct);

        var completed = await buyer.RentalAsync(rental);
        completed.GetProperty("status").GetString().ShouldBe("Completed");
        completed.GetProperty("endReason").GetString().ShouldBe("Completed");
        completed.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(endsAt);
        var closed = completed.GetProperty("unavailable")[0];
        (closed.GetProperty("to").GetDateTimeOffset() - closed.GetProperty("from").GetDateTimeOffset()).ShouldBe(TimeSpan.FromMinutes(5));
        await Waiting.UntilAsync(() => supplier.GetAsync("/api/orders/mine"),
            mine => mine.GetProperty("asks")[0].GetProperty("status").GetString() == "Listed", "the device back in the book");
    }

    [Fact]
    public async Task a_transaction_request_names_the_problem_for_a_bad_account_an_unknown_rental_or_a_paid_one()
    {
        using var http = new HttpClient { BaseAddress = net.Address };

        using var badAccount = await http.PostAsJsonAsync($"/api/pay/rentals/{Guid.NewGuid():N}", new { account = "not-a-key" }, Ct);
        await badAccount.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using var unknown = await http.PostAsJsonAsync($"/api/pay/rentals/{Guid.NewGuid():N}", new { account = Keypair.Generate().PublicKey.ToString() }, Ct);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var refused = await SolanaPayReference.RunAsync(new JsonObject
        {
            ["op"] = "fetchTransaction", ["rpc"] = Chain.Process.RpcUrl.ToString(), ["account"] = Keypair.Generate().PublicKey.ToString(),
            ["link"] = $"{net.Address}api/pay/rentals/{Guid.NewGuid():N}",
        });
        refused[0]!["ok"]!.GetValue<bool>().ShouldBeFalse();
        refused[0]!["error"]!.GetValue<string>().ShouldContain("404");
    }
}
