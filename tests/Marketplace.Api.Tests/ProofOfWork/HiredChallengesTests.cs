using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using IoNet.Ledger.Staking;
using IoNet.Marketplace.ProofOfWork;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Flows;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Suppliers;
using IoNet.Suppliers.ProofOfWork;
using IoNet.TestSupport;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.ProofOfWork;

/// <summary>
/// Challenges while hired, every part real (localnet, the indexer's process, PostgreSQL): a hired device is challenged
/// at random; one whose worker answers wrongly, or not before the deadline, becomes Failed at that moment, its rental
/// ends (DeviceFailed) and settlement pays it only the time up to then. Small matrices (n = 64) and the test's clock.
/// </summary>
public sealed class HiredChallengesTests(PaymentNetwork net) : IClassFixture<PaymentNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalnetChain Chain => net.Chain;

    private IoNetAddresses Network => net.Chain.Network;

    /// <summary>A replica that challenges every hired device on each pass (the test runs the passes).</summary>
    private WebApplicationFactory<Program> Challenger() => net.App.Replica(new Dictionary<string, string>
    {
        ["Marketplace:Chain:RpcUrl"] = Chain.Process.RpcUrl.ToString(),
        ["Marketplace:Chain:AddressFile"] = Chain.Process.AddressesFile,
        ["Marketplace:Outbox:Enabled"] = "false",
        ["Marketplace:ProofOfWork:N"] = "64",
        ["Marketplace:ProofOfWork:K"] = "16",
        ["Marketplace:ProofOfWork:HiredChallengeMeanInterval"] = "00:00:00.001",
        ["Marketplace:ProofOfWork:HiredChallengeTick"] = "01:00:00",
    });

    [Fact]
    public async Task a_hired_device_that_answers_a_random_challenge_wrongly_is_failed_its_rental_ends_and_settlement_pays_it_up_to_then()
    {
        await using var challenger = Challenger();
        var (supplier, deviceKey, device, rental, buyer) = await HiredAsync("RTX-3090", 300_000, stake: 1_000_00000000);
        using var _ = supplier;
        using var __ = deviceKey;
        using var ___ = buyer;
        var stakeVaultBefore = await Chain.TokenBalanceAsync(Network.StakeVault, Ct);
        net.App.Clock.Advance(TimeSpan.FromMinutes(10));

        (await challenger.Services.GetRequiredService<HiredChallenges>().RunOnceAsync(Ct)).ShouldBe(1);
        var challenge = (await OpenChallengesAsync(device)).ShouldHaveSingleItem();
        var honest = new CpuMatrixSolver().Multiply(challenge.Seed, challenge.N, Ct);
        var wrong = new ProductMatrix(challenge.N, [.. honest.Values.Select(v => (v + 1) % ProofOfWorkLimits.Prime)]);
        using var opened = await AnswerAsync(deviceKey, challenge, wrong);
        (await opened.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("failure").GetString().ShouldBe("WrongAnswer");

        net.App.Clock.Advance(TimeSpan.FromMinutes(5)); // the device is failed as of its failed answer, not of this pass
        await challenger.Services.GetRequiredService<HiredChallenges>().RunOnceAsync(Ct);
        (await supplier.GetAsync($"/api/devices/{device}")).GetProperty("status").GetString().ShouldBe("Failed");
        var ended = await Waiting.UntilAsync(() => buyer.RentalAsync(rental), r => r.GetProperty("status").GetString() == "Settled", "the rental ending and settling");
        ended.GetProperty("endReason").GetString().ShouldBe("DeviceFailed");
        var settlement = await buyer.GetAsync($"/api/rentals/{rental}/settlement");
        // 10 min served at 0.30 USD an hour: 50,000 less the 0.25 % fee.
        settlement.GetProperty("devices")[0].GetProperty("servedSeconds").GetInt64().ShouldBe(600L);
        settlement.GetProperty("payouts")[0].GetProperty("amount").GetUInt64().ShouldBe(49_875UL);
        (await Chain.TokenBalanceAsync(Network.Iosd.AccountOf(supplier.Wallet.PublicKey), Ct)).ShouldBe(49_875UL);
        (await OpenChallengesAsync(device)).ShouldBeEmpty();

        // Its stake of 1,000 IO is slashed by 10 % (DeviceStake's rule), once: a Slash burned from the stake vault.
        var slashed = await Waiting.UntilAsync(() => SlashedAsync(device), s => s.Count > 0, "the stake being slashed");
        slashed.ShouldHaveSingleItem().Amount.ShouldBe(100_00000000UL);
        slashed[0].Staker.ShouldBe(supplier.Address);
        (await Chain.TokenBalanceAsync(Network.StakeVault, Ct)).ShouldBe(stakeVaultBefore - 100_00000000UL);
    }

    private async Task<IReadOnlyList<StakeSlashed>> SlashedAsync(Guid device)
    {
        var hex = device.ToString("N");
        await using var session = net.Api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryRawEventDataOnly<StakeSlashed>().Where(e => e.Device == hex).ToListAsync(Ct);
    }

    /// <summary>The supplier stakes <paramref name="amount"/> IO for the device (minted to it first); returns once the Ledger holds it.</summary>
    private async Task StakeAsync(Trader supplier, Guid device, ulong amount)
    {
        var io = Network.Io;
        using var authority = Chain.Authority("io");
        await Chain.ExecuteAsync(authority,
        [
            AssociatedTokenInstruction.CreateIdempotent(authority.PublicKey, supplier.Wallet.PublicKey, io.Address, io.TokenProgram).Build(),
            new MintTo(io.Address, io.AccountOf(supplier.Wallet.PublicKey), authority.PublicKey, amount) { ProgramId = io.TokenProgram }.Build(),
        ], [authority], Ct);
        await Chain.ExecuteAsync(supplier.Wallet, IoNetFlows.Stake(supplier.Wallet.PublicKey, io, Network.StakeAuthority, device, amount), ct: Ct);
        var hex = device.ToString("N");
        await Waiting.UntilAsync(async () =>
        {
            await using var session = net.Api.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.Events.QueryRawEventDataOnly<StakeDeposited>().Where(e => e.Device == hex).CountAsync(Ct);
        }, n => n == 1, "the stake being indexed");
    }

    [Fact]
    public async Task a_hired_device_that_misses_its_challenges_deadline_fails_as_a_timeout_at_the_deadline()
    {
        await using var challenger = Challenger();
        var (supplier, deviceKey, device, rental, buyer) = await HiredAsync("RTX-3080", 200_000);
        using var _ = supplier;
        using var __ = deviceKey;
        using var ___ = buyer;
        net.App.Clock.Advance(TimeSpan.FromMinutes(20));
        var hired = challenger.Services.GetRequiredService<HiredChallenges>();
        (await hired.RunOnceAsync(Ct)).ShouldBe(1);
        var challenge = (await OpenChallengesAsync(device)).ShouldHaveSingleItem();
        (await hired.RunOnceAsync(Ct)).ShouldBe(0); // one open challenge at a time

        net.App.Clock.Set(challenge.Deadline.AddMinutes(1));
        await hired.RunOnceAsync(Ct);
        var standing = await supplier.GetAsync($"/api/proof-of-work/devices/{device}");
        standing.GetProperty("lastOutcome").GetString().ShouldBe("Timeout");
        (await supplier.GetAsync($"/api/devices/{device}")).GetProperty("status").GetString().ShouldBe("Failed");
        var settled = await Waiting.UntilAsync(() => buyer.RentalAsync(rental), r => r.GetProperty("status").GetString() == "Settled", "the rental ending and settling");
        settled.GetProperty("endReason").GetString().ShouldBe("DeviceFailed");
        settled.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(challenge.Deadline);
    }

    private async Task<(Trader Supplier, Keypair DeviceKey, Guid Device, Guid Rental, Trader Buyer)> HiredAsync(string model, ulong price, ulong stake = 0)
    {
        var supplier = await Trader.SignInAsync(net.App, await Chain.NewWalletAsync(ct: Ct), net.Api);
        var device = await supplier.RegisterDeviceAsync(model, 1);
        if (stake > 0)
            await StakeAsync(supplier, device, stake);
        var key = Keypair.Generate();
        using (var set = await supplier.Http.PutAsJsonAsync($"/api/proof-of-work/devices/{device}/key", new { publicKey = key.PublicKey.ToString() }, Ct))
            set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Ct));
        using (var op = await Trader.SignInAsync(net.App, net.App.Operator, net.Api))
            await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "hired challenges test" });
        await supplier.PlaceAskAsync(device, price, now: net.App.Clock.GetUtcNow());

        var wallet = await Chain.NewWalletAsync(ct: Ct);
        var buyer = await Trader.SignInAsync(net.App, wallet, net.Api);
        var rental = (await buyer.PlaceBidAsync(model, 1, price, hours: 1, currency: "Iosd")).GetProperty("rentalId").GetGuid();
        var due = (await buyer.RentalAsync(rental)).GetProperty("amountDue").GetUInt64();
        var mint = Network.Iosd;
        using var authority = Chain.Authority("iosd");
        await Chain.ExecuteAsync(authority,
        [
            AssociatedTokenInstruction.CreateIdempotent(authority.PublicKey, wallet.PublicKey, mint.Address, mint.TokenProgram).Build(),
            new MintTo(mint.Address, mint.AccountOf(wallet.PublicKey), authority.PublicKey, due) { ProgramId = mint.TokenProgram }.Build(),
        ], [authority], Ct);
        var paid = await Chain.Rpc.SendTransactionAsync(
            await Chain.SignAsync(wallet, IoNetFlows.FundRental(wallet.PublicKey, mint, Network.EscrowAuthority, rental, due), ct: Ct), cancellationToken: Ct);
        await Waiting.UntilAsync(() => Chain.Rpc.GetTransactionAsync(paid, TransactionEncoding.Json, cancellationToken: Ct), t => t is not null, "the payment landing");
        await Waiting.UntilAsync(() => buyer.RentalAsync(rental), r => r.GetProperty("status").GetString() == "Active", "the rental becoming active");
        await Waiting.UntilAsync(() => supplier.GetAsync($"/api/devices/{device}"), d => d.GetProperty("status").GetString() == "Hired", "the device being hired");
        return (supplier, key, device, rental, buyer);
    }

    private async Task<IReadOnlyList<ProofOfWorkChallenge>> OpenChallengesAsync(Guid device)
    {
        using var http = new HttpClient { BaseAddress = net.Address };
        var open = await http.GetFromJsonAsync<JsonElement>($"/api/proof-of-work/devices/{device}/challenges", Ct);
        return open.EnumerateArray().Select(c => new ProofOfWorkChallenge(
            c.GetProperty("id").GetGuid(), c.GetProperty("device").GetGuid(), Bytes32.ParseHex(c.GetProperty("seed").GetString()!),
            c.GetProperty("n").GetInt32(), c.GetProperty("k").GetInt32(), Bytes32.ParseHex(c.GetProperty("sampleCommitment").GetString()!),
            c.GetProperty("issuedAt").GetDateTimeOffset(), c.GetProperty("deadline").GetDateTimeOffset())).ToList();
    }

    /// <summary>The device's side: commits to <paramref name="product"/>, opens the rows the salt selects; the opening's response.</summary>
    private async Task<HttpResponseMessage> AnswerAsync(Keypair deviceKey, ProofOfWorkChallenge challenge, ProductMatrix product)
    {
        using var http = new HttpClient { BaseAddress = net.Address };
        var answer = ProofOfWorkAnswer.Prepare(product);
        var c = answer.Commit(challenge.Id, 12, deviceKey);
        using var committed = await http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge.Id}/commitment",
            new { challenge = c.Challenge, root = c.Root.ToHex(), elapsedMilliseconds = c.ElapsedMilliseconds, signature = c.Signature.ToString() }, Ct);
        committed.StatusCode.ShouldBe(HttpStatusCode.OK, await committed.Content.ReadAsStringAsync(Ct));
        var accepted = await committed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var opening = answer.Open(challenge, Bytes32.ParseHex(accepted.GetProperty("salt").GetString()!));
        return await http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge.Id}/opening", new
        {
            challenge = opening.Challenge,
            rows = opening.Rows.Select(r => new
            {
                index = r.Index, values = Convert.ToBase64String(MemoryMarshal.AsBytes(r.Values.AsSpan())), proof = r.Proof.Select(p => p.ToHex()).ToArray(),
            }).ToArray(),
        }, Ct);
    }
}
