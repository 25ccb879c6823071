using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.Ledger.Rentals;
using IoNet.MarketplaceApi.Tests.Credits;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Flows;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using Marten;
using Transaction = IoNet.Solana.Transactions.Transaction;

namespace IoNet.MarketplaceApi.Tests.Claims;

/// <summary>
/// Claims across restarts, with Marketplace.Api as a real process (the built dll) killed with kill -9: a claim handed out
/// by one process is answered again by the next from PostgreSQL, and a claim that lands while no process runs is
/// confirmed by the next one from the Ledger; the wallet receives its earnings exactly once.
/// </summary>
public sealed class ClaimsRestartTests(CreditsNetwork network) : IClassFixture<CreditsNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Keypair _operator = Keypair.Generate();

    private string OperatorSetting => $"--Marketplace:OperatorWallets:0={_operator.PublicKey}";

    [Fact]
    public async Task a_claim_survives_kill_9_before_it_is_sent_and_after_it_landed_and_pays_the_wallet_exactly_once()
    {
        var api = await network.StartApiAsync("claims-api", 800_000, OperatorSetting);
        var chain = network.Chain;
        using var supplier = await chain.NewWalletAsync(ct: Ct);
        using var buyer = await chain.NewWalletAsync(ct: Ct);

        // The supplier accrues; its device serves a rental of the buyer for a few seconds, which is settled.
        using (var http = await CreditsNetwork.SignedInAsync(api, supplier))
        using (var op = await CreditsNetwork.SignedInAsync(api, _operator))
        {
            (await http.PutAsJsonAsync("/api/earnings/settings", new { accrue = true }, Ct)).EnsureSuccessStatusCode();
            var device = (await ReadAsync(await http.PostAsJsonAsync("/api/devices", new
            {
                gpuModel = "A100-80GB", gpuCount = 1, cpuClass = "EPYC-9654", ramGiB = 512, country = "DE", city = "Berlin", connectivity = "Ultra", security = "Soc2",
            }, Ct), HttpStatusCode.Created)).GetProperty("id").GetGuid();
            await ReadAsync(await op.PostAsJsonAsync($"/api/operator/devices/{device}/eligible", new { reason = "claims restart test" }, Ct));
            await ReadAsync(await http.PostAsJsonAsync("/api/asks", new
            {
                deviceId = device, pricePerGpuHour = 3_600_000UL, minHours = 1, maxHours = 48, availableUntil = DateTimeOffset.UtcNow.AddDays(30), currencies = new[] { "Iosd" },
            }, Ct), HttpStatusCode.Created);
        }
        Guid rental;
        using (var http = await CreditsNetwork.SignedInAsync(api, buyer))
        {
            rental = (await ReadAsync(await http.PostAsJsonAsync("/api/bids", new
            {
                gpuModel = "A100-80GB", gpuCount = 1, maxPricePerGpuHour = 3_600_000UL, hours = 1, currency = "Iosd", singleSupplier = false,
                countries = Array.Empty<string>(), expiresInMinutes = 60,
            }, Ct), HttpStatusCode.Created)).GetProperty("rentalId").GetGuid();
            const ulong due = 3_609_000; // 3.6 USD + 0.25 %
            var iosd = chain.Network.Iosd;
            using var authority = chain.Authority("iosd");
            await chain.ExecuteAsync(authority,
            [
                AssociatedTokenInstruction.CreateIdempotent(authority.PublicKey, buyer.PublicKey, iosd.Address, iosd.TokenProgram).Build(),
                new MintTo(iosd.Address, iosd.AccountOf(buyer.PublicKey), authority.PublicKey, due) { ProgramId = iosd.TokenProgram }.Build(),
            ], [authority], Ct);
            await chain.ExecuteAsync(buyer, IoNetFlows.FundRental(buyer.PublicKey, iosd, chain.Network.EscrowAuthority, rental, due), ct: Ct);
            var active = await Waiting.UntilAsync(async () => await ReadAsync(await http.GetAsync($"/api/rentals/{rental}", Ct)),
                r => r.GetProperty("status").GetString() == "Active", "the rental becoming active");
            await network.WaitForBlockTimeAfterAsync(active.GetProperty("activatedAt").GetDateTimeOffset().AddSeconds(2));
            await ReadAsync(await http.PostAsync($"/api/rentals/{rental}/end", null, Ct));
            await Waiting.UntilAsync(async () => await ReadAsync(await http.GetAsync($"/api/rentals/{rental}", Ct)),
                r => r.GetProperty("status").GetString() == "Settled", "the rental being settled");
        }
        ulong earned;
        using (var http = await CreditsNetwork.SignedInAsync(api, supplier))
        {
            var settlement = await ReadAsync(await http.GetAsync($"/api/rentals/{rental}/settlement", Ct));
            earned = settlement.GetProperty("accrued").EnumerateArray().ShouldHaveSingleItem().GetProperty("amount").GetUInt64();
            earned.ShouldBeGreaterThan(0UL);
        }

        // A claim is handed out, then the process dies (kill -9) before the wallet sends it: the next one answers the same.
        var claim = await ClaimAsync(api, supplier.PublicKey);
        await api.KillAsync();
        api = await network.StartApiAsync("claims-api-2", 800_000, OperatorSetting);
        (await ClaimAsync(api, supplier.PublicKey)).ShouldBe(claim);

        // The wallet sends it while no process runs; the next process confirms it from the Ledger.
        await api.KillAsync();
        var signed = Transaction.FromBase64(claim).Sign(supplier).Serialize();
        var signature = await chain.Rpc.SendTransactionAsync(signed, cancellationToken: Ct);
        await Waiting.UntilAsync(() => network.LandedAsync(signature), landed => landed, "the claim landing");
        api = await network.StartApiAsync("claims-api-3", 800_000, OperatorSetting);
        using (var http = await CreditsNetwork.SignedInAsync(api, supplier))
        {
            var paid = await Waiting.UntilAsync(async () => await ReadAsync(await http.GetAsync("/api/earnings", Ct)),
                e => e.GetProperty("claims").EnumerateArray().Any(c => c.GetProperty("state").GetString() == "Paid"), "the claim being paid");
            paid.GetProperty("unpaid").GetArrayLength().ShouldBe(0);
            paid.GetProperty("claims").EnumerateArray().ShouldHaveSingleItem().GetProperty("signature").GetString().ShouldBe(signature);
        }
        using (var http = api.Client())
        using (var again = await http.PostAsJsonAsync("/api/pay/claims", new { account = supplier.PublicKey.ToString() }, Ct))
            await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var replay = await Should.ThrowAsync<RpcException>(() => chain.Rpc.SendTransactionAsync(signed, cancellationToken: Ct));
        TransactionFates.IsAlreadyProcessed(replay).ShouldBeTrue(replay.Message);

        (await network.IosdAsync(supplier.PublicKey)).ShouldBe(earned);
        var owner = supplier.PublicKey.ToString();
        await using var session = network.Ledger.QuerySession();
        (await session.Events.QueryRawEventDataOnly<RentalSettled>().Where(e => e.Supplier == owner).ToListAsync(Ct))
            .ShouldHaveSingleItem().Amount.ShouldBe(earned);
        await api.KillAsync();
    }

    private static async Task<string> ClaimAsync(ServiceProcess api, PublicKey wallet)
    {
        using var http = api.Client();
        var answer = await ReadAsync(await http.PostAsJsonAsync("/api/pay/claims", new { account = wallet.ToString() }, Ct));
        return answer.GetProperty("transaction").GetString()!;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(expected, text);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
