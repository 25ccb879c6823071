using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IoNet.Ledger.Rentals;
using IoNet.MarketplaceApi.Tests.Credits;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;
using Marten;

namespace IoNet.MarketplaceApi.Tests.Settlement;

/// <summary>
/// Issue 9's acceptance, with every part real: a localnet, PostgreSQL, the indexer's process and Marketplace.Api
/// processes (the built dll) on one schema. A buyer buys IOSD by burning IO, rents 3 GPUs of two suppliers, pays through
/// the Solana Pay transaction request with its own keypair, extends once, ends early; settlement pays each supplier and
/// refunds the buyer exactly, read back from the chain and from the Ledger. The second test kills the API (kill -9) after
/// every step, and in the middle of the mint's and the settlement's sends, and must end the same way.
/// </summary>
public sealed class SettlementAcceptanceTests(CreditsNetwork network) : IClassFixture<CreditsNetwork>
{
    private const ulong Rate = 800_000; // 0.80 USD per IO
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Keypair _operator = Keypair.Generate();

    private string OperatorSetting => $"--Marketplace:OperatorWallets:0={_operator.PublicKey}";

    /// <summary>The API under test; <see cref="StepAsync"/> kills and restarts it when the run is interrupted.</summary>
    private ServiceProcess _api = null!;
    private bool _interrupt;
    private readonly List<string> _steps = [];

    [Fact]
    public async Task a_buyer_buys_iosd_rents_three_gpus_of_two_suppliers_extends_ends_early_and_settlement_pays_everyone_exactly()
    {
        var outcome = await RunAsync(interrupt: false);
        outcome.Steps.ShouldBeEmpty();
    }

    [Fact]
    public async Task the_same_rental_with_the_api_killed_after_every_step_mints_once_pays_once_and_ends_settled_with_the_same_totals()
    {
        var outcome = await RunAsync(interrupt: true);
        outcome.Steps.ShouldBe(["mint sent", "minted", "devices listed", "bid filled", "payment sent", "active", "extension paid",
            "ended", "settlement sent"]);
    }

    private sealed record Outcome(IReadOnlyList<string> Steps);

    /// <summary>Under interruption: kill -9 the API and start a new one (the same settings but <paramref name="settings"/>).</summary>
    private async Task StepAsync(string step, params string[] settings)
    {
        if (!_interrupt)
            return;
        _steps.Add(step);
        await _api.KillAsync();
        _api = await network.StartApiAsync("api-after-" + step.Replace(' ', '-'), Rate, [OperatorSetting, .. settings]);
    }

    private async Task<Outcome> RunAsync(bool interrupt)
    {
        _interrupt = interrupt;
        _api = await network.StartApiAsync("api", Rate, OperatorSetting, interrupt ? "--Marketplace:Outbox:PauseAfter=sent" : "--Marketplace:Outbox:Enabled=true");
        var chain = network.Chain;
        var iosd = chain.Network.Iosd;
        using var buyer = await network.BuyerWithIoAsync(10_00000000);
        using var supplierA = Keypair.Generate();
        using var supplierB = Keypair.Generate();
        var buyerToken = await TokenAsync(buyer);
        // Each run rents its own model: the other run's devices are back in the same book once its rental ended.
        var model = interrupt ? "H200" : "H100";

        // 1. IOSD for 10 IO at 0.80 USD: exactly 8 IOSD, minted once.
        var quote = await PostAsync(buyerToken, "/api/credits/quotes", new { ioAmount = 10_00000000UL }, HttpStatusCode.Created);
        quote.GetProperty("iosdAmount").GetUInt64().ShouldBe(8_000_000UL);
        var burnTx = await PostAsync(null, quote.GetProperty("transactionRequest").GetString()!, new { account = buyer.PublicKey.ToString() });
        var burn = await network.SignAndSendAsync(burnTx.GetProperty("transaction").GetString()!, buyer);
        if (interrupt)
        {
            // The mint is sent and the API dies before it learns the fate; the next one must not mint again.
            await _api.WaitForLineAsync(l => l.Contains("outbox paused after sent: credits:", StringComparison.Ordinal));
            await StepAsync("mint sent");
        }
        var purchase = await CreditsNetwork.WaitMintedAsync(_api, burn);
        purchase.GetProperty("iosdAmount").GetUInt64().ShouldBe(8_000_000UL);
        await StepAsync("minted");
        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(8_000_000UL);
        (await network.PurchasesInLedgerAsync(burn)).ShouldHaveSingleItem().IosdMinted.ShouldBe(8_000_000UL);

        // 2. Two suppliers' devices (eligible by the operator's command): a has 2 GPUs at 1.00 USD, b 1 GPU at 1.20 USD.
        var opToken = await TokenAsync(_operator);
        var deviceA = await ListedDeviceAsync(await TokenAsync(supplierA), opToken, model, 2, 1_000_000);
        var deviceB = await ListedDeviceAsync(await TokenAsync(supplierB), opToken, model, 1, 1_200_000);
        await StepAsync("devices listed");

        // 3. A bid for 3 GPUs matches both: 3.20 USD an hour, 1 h, + 0.25 %: 3.208 IOSD due.
        var bid = await PostAsync(buyerToken, "/api/bids", new
        {
            gpuModel = model, gpuCount = 3, maxPricePerGpuHour = 1_500_000UL, hours = 1, currency = "Iosd", singleSupplier = false,
            countries = Array.Empty<string>(), expiresInMinutes = 60,
        }, HttpStatusCode.Created);
        bid.GetProperty("status").GetString().ShouldBe("Filled");
        var rental = bid.GetProperty("rentalId").GetGuid();
        await StepAsync("bid filled");
        var matched = await GetAsync(buyerToken, $"/api/rentals/{rental}");
        matched.GetProperty("status").GetString().ShouldBe("AwaitingPayment");
        matched.GetProperty("amountDue").GetUInt64().ShouldBe(3_208_000UL);
        matched.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("device").GetGuid()).Order().ShouldBe(new[] { deviceA, deviceB }.Order());

        // 4. Paid through the transaction request, signed by the buyer's keypair: Active only once the Ledger has the payment.
        var vaultBefore = await chain.TokenBalanceAsync(chain.Network.EscrowVault(iosd), Ct);
        var pay = await PostAsync(null, $"/api/pay/rentals/{rental:N}", new { account = buyer.PublicKey.ToString() });
        var payment = await network.SignAndSendAsync(pay.GetProperty("transaction").GetString()!, buyer);
        await StepAsync("payment sent");
        var active = await UntilAsync(buyerToken, $"/api/rentals/{rental}", r => r.GetProperty("status").GetString() == "Active", "the rental becoming active");
        var funded = (await LedgerAsync<RentalFunded>(rental)).ShouldHaveSingleItem();
        (funded.Signature, funded.Amount).ShouldBe((payment, 3_208_000UL));
        active.GetProperty("payments").EnumerateArray().Single().GetProperty("signature").GetString().ShouldBe(payment);
        await StepAsync("active");

        // 5. Extended once by 1 h, paid the same way.
        var extended = await PostAsync(buyerToken, $"/api/rentals/{rental}/extend", new { hours = 1 });
        extended.GetProperty("extension").GetProperty("amountDue").GetUInt64().ShouldBe(3_208_000UL);
        var payMore = await PostAsync(null, $"/api/pay/rentals/{rental:N}", new { account = buyer.PublicKey.ToString() });
        await network.SignAndSendAsync(payMore.GetProperty("transaction").GetString()!, buyer);
        await UntilAsync(buyerToken, $"/api/rentals/{rental}", r => r.GetProperty("hours").GetInt32() == 2, "the extension being paid");
        await StepAsync("extension paid");

        // 6. Ended early by the buyer; under interruption the settlement's transaction is sent and the API dies.
        if (interrupt)
        {
            await _api.KillAsync();
            _api = await network.StartApiAsync("api-settling", Rate, OperatorSetting, "--Marketplace:Outbox:PauseAfter=sent");
        }
        var ended = await PostAsync(buyerToken, $"/api/rentals/{rental}/end", null);
        ended.GetProperty("status").GetString().ShouldBe("Terminated");
        if (interrupt)
        {
            _steps.Add("ended");
            await _api.WaitForLineAsync(l => l.Contains($"outbox paused after sent: settle:{rental:N}", StringComparison.Ordinal));
            await StepAsync("settlement sent");
        }
        var settled = await UntilAsync(buyerToken, $"/api/rentals/{rental}", r => r.GetProperty("status").GetString() == "Settled", "the rental being settled");

        // 7. What settlement owes, computed here from the stored times with the formula of docs/marketplace.md.
        var seconds = (settled.GetProperty("endedAt").GetDateTimeOffset() - settled.GetProperty("activatedAt").GetDateTimeOffset()).Ticks / TimeSpan.TicksPerSecond;
        seconds.ShouldBeLessThan(7_200L);
        var usageA = (ulong)((UInt128)1_000_000 * 2 * (ulong)seconds / 3_600);
        var usageB = (ulong)((UInt128)1_200_000 * 1 * (ulong)seconds / 3_600);
        var payoutA = usageA - usageA * 25 / 10_000;
        var payoutB = usageB - usageB * 25 / 10_000;
        var charged = usageA + usageB + (usageA + usageB) * 25 / 10_000;
        const ulong paid = 6_416_000;
        var refund = paid - charged;
        var fees = charged - payoutA - payoutB;

        var view = await GetAsync(buyerToken, $"/api/rentals/{rental}/settlement");
        view.GetProperty("status").GetString().ShouldBe("Settled");
        view.GetProperty("funded").GetUInt64().ShouldBe(paid);
        view.GetProperty("charged").GetUInt64().ShouldBe(charged);
        view.GetProperty("fees").GetUInt64().ShouldBe(fees);
        view.GetProperty("refund").GetUInt64().ShouldBe(refund);
        view.GetProperty("payouts").EnumerateArray().Select(p => (p.GetProperty("supplier").GetString()!, p.GetProperty("amount").GetUInt64()))
            .Order().ShouldBe(new[] { (supplierA.PublicKey.ToString(), payoutA), (supplierB.PublicKey.ToString(), payoutB) }.Order());
        view.GetProperty("transactions").EnumerateArray().ShouldHaveSingleItem().GetProperty("state").GetString().ShouldBe("Done");

        // From the chain: each wallet holds exactly its share; the vault kept the fees.
        (await network.IosdAsync(supplierA.PublicKey)).ShouldBe(payoutA);
        (await network.IosdAsync(supplierB.PublicKey)).ShouldBe(payoutB);
        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(8_000_000 - paid + refund);
        (await chain.TokenBalanceAsync(chain.Network.EscrowVault(iosd), Ct)).ShouldBe(vaultBefore + fees);
        // From the Ledger: one transfer to each supplier, one refund, one mint (nothing twice).
        (await LedgerAsync<RentalSettled>(rental)).Select(s => (s.Supplier, s.Amount)).Order()
            .ShouldBe(new[] { (supplierA.PublicKey.ToString(), payoutA), (supplierB.PublicKey.ToString(), payoutB) }.Order());
        (await LedgerAsync<RentalRefunded>(rental)).ShouldHaveSingleItem().Amount.ShouldBe(refund);
        (await LedgerAsync<RentalFunded>(rental)).Sum(f => (decimal)f.Amount).ShouldBe(paid);
        (await network.PurchasesInLedgerAsync(burn)).ShouldHaveSingleItem();
        (await network.IosdMintsInLedgerAsync(buyer.PublicKey)).ShouldHaveSingleItem().Amount.ShouldBe(8_000_000UL);
        await _api.KillAsync();
        return new Outcome(_steps);
    }

    private async Task<Guid> ListedDeviceAsync(string supplierToken, string opToken, string model, int gpus, ulong price)
    {
        var device = (await PostAsync(supplierToken, "/api/devices", new
        {
            gpuModel = model, gpuCount = gpus, cpuClass = "EPYC-9654", ramGiB = 512, country = "DE", city = "Berlin", connectivity = "Ultra", security = "Soc2",
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await PostAsync(opToken, $"/api/operator/devices/{device}/eligible", new { reason = "acceptance test" });
        await PostAsync(supplierToken, "/api/asks", new
        {
            deviceId = device, pricePerGpuHour = price, minHours = 1, maxHours = 48, availableUntil = DateTimeOffset.UtcNow.AddDays(30),
            currencies = new[] { "Iosd" },
        }, HttpStatusCode.Created);
        return device;
    }

    private async Task<string> TokenAsync(Keypair wallet)
    {
        using var http = _api.Client();
        var nonce = await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString());
        var message = nonce.GetProperty("message").GetString()!;
        using var verify = await http.PostAsJsonAsync("/api/auth/verify",
            new { message, signature = wallet.Sign(Encoding.UTF8.GetBytes(message)).ToString() }, Ct);
        verify.EnsureSuccessStatusCode();
        return (await verify.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
    }

    private HttpClient Http(string? token)
    {
        var http = _api.Client();
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<JsonElement> PostAsync(string? token, string path, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var http = Http(token);
        using var response = body is null ? await http.PostAsync(path, null, Ct) : await http.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, $"POST {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> GetAsync(string token, string path)
    {
        using var http = Http(token);
        using var response = await http.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls until <paramref name="done"/>; the guard only stops a hanging test (no speed check).</summary>
    private async Task<JsonElement> UntilAsync(string token, string path, Func<JsonElement, bool> done, string what)
    {
        var guard = System.Diagnostics.Stopwatch.StartNew();
        var last = default(JsonElement);
        while (guard.Elapsed < TimeSpan.FromMinutes(4))
        {
            last = await GetAsync(token, path);
            if (done(last))
                return last;
            await Task.Delay(250, Ct);
        }
        throw new ShouldAssertException($"{what} did not happen: {last}\n--- api output:\n{_api.Output}");
    }

    private async Task<IReadOnlyList<T>> LedgerAsync<T>(Guid rental) where T : class
    {
        var key = Rental.StreamKey(rental);
        await using var session = network.Ledger.QuerySession();
        var all = await session.Events.QueryRawEventDataOnly<T>().ToListAsync(Ct);
        return all.Where(e => e switch
        {
            RentalFunded f => f.Rental == key,
            RentalSettled s => s.Rental == key,
            RentalRefunded r => r.Rental == key,
            _ => false,
        }).ToList();
    }
}
