using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;

namespace IoNet.MarketplaceApi.Tests.Staking;

/// <summary>
/// Staking for real: the owner asks for the Stake transaction, its wallet signs and sends it to the localnet, the
/// indexer's process stores StakeDeposited and GET stake shows it against what eligibility requires.
/// </summary>
public sealed class StakingApiTests(PaymentNetwork net) : IClassFixture<PaymentNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalnetChain Chain => net.Chain;

    /// <summary>A wallet with SOL for fees and <paramref name="io"/> IO base units (a reward from the treasury).</summary>
    private async Task<Keypair> SupplierWalletAsync(ulong io)
    {
        var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var treasury = Chain.Authority("treasury");
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, Chain.Network.Io, wallet.PublicKey, 0, Guid.NewGuid(), io), [treasury], Ct);
        return wallet;
    }

    [Fact]
    public async Task the_owner_signs_the_stake_transaction_and_the_indexed_stake_makes_the_device_staked_enough()
    {
        const ulong io = 100_000_000; // 1 IO
        using var wallet = await SupplierWalletAsync(10_000 * io);
        using var supplier = await Trader.SignInAsync(net.App, wallet, net.Api);
        var device = await supplier.RegisterDeviceAsync("T4", 1);
        var before = await supplier.GetAsync($"/api/devices/{device}/stake");
        before.GetProperty("staked").GetUInt64().ShouldBe(0UL);
        before.GetProperty("enough").GetBoolean().ShouldBeFalse();
        before.GetProperty("cooldownDays").GetDouble().ShouldBe(14);
        var required = before.GetProperty("required").GetUInt64();
        required.ShouldBeGreaterThanOrEqualTo(200 * io);

        var answer = await supplier.PostAsync($"/api/devices/{device}/stake", new { amount = required });
        answer.GetProperty("memo").GetString().ShouldBe($"ionet:v1:stake:{device:N}");
        answer.GetProperty("vault").GetString().ShouldBe(Chain.Network.StakeVault.ToString());
        var signed = Transaction.FromBase64(answer.GetProperty("transaction").GetString()!).Sign(wallet).Serialize();
        var signature = await Chain.Rpc.SendTransactionAsync(signed, cancellationToken: Ct);
        var landed = await Waiting.UntilAsync(() => Chain.Rpc.GetTransactionAsync(signature, TransactionEncoding.Json, cancellationToken: Ct),
            t => t is not null, $"transaction {signature} landing");
        landed!.Meta!.Err.ShouldBeNull();

        var after = await Waiting.UntilAsync(() => supplier.GetAsync($"/api/devices/{device}/stake"),
            s => s.GetProperty("staked").GetUInt64() == required, "the stake indexed");
        after.GetProperty("deposited").GetUInt64().ShouldBe(required);
        after.GetProperty("enough").GetBoolean().ShouldBeTrue();
        after.GetProperty("withdrawable").GetUInt64().ShouldBe(0UL);
    }

    [Fact]
    public async Task only_the_owner_gets_a_stake_transaction_for_a_registered_device_and_a_positive_amount()
    {
        using var owner = await Trader.SignInAsync(net.App, replica: net.Api);
        using var stranger = await Trader.SignInAsync(net.App, replica: net.Api);
        var device = await owner.RegisterDeviceAsync("T4", 1);

        using (var response = await stranger.Http.PostAsJsonAsync($"/api/devices/{device}/stake", new { amount = 1 }, Ct))
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using (var response = await owner.Http.PostAsJsonAsync($"/api/devices/{Guid.NewGuid()}/stake", new { amount = 1 }, Ct))
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var response = await owner.Http.PostAsJsonAsync($"/api/devices/{device}/stake", new { amount = 0 }, Ct))
            await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using (var response = await owner.Http.GetAsync($"/api/devices/{Guid.NewGuid()}/stake", Ct))
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using (var anonymous = net.Api.CreateClient())
        using (var response = await anonymous.PostAsJsonAsync($"/api/devices/{device}/stake", new { amount = 1 }, Ct))
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
