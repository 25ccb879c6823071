using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Flows;
using IoNet.Programs.Token;
using IoNet.Solana.Rpc;
using Npgsql;

namespace IoNet.MarketplaceApi.Tests.Payments;

/// <summary>
/// The payment reaction is a subscription whose progress is in the store: a payment the indexer stores while no
/// marketplace runs activates the rental once a replica starts again, and is recorded once.
/// </summary>
public sealed class RentalReactionsRestartTests(PaymentNetwork net) : IClassFixture<PaymentNetwork>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_payment_stored_while_the_marketplace_was_down_activates_the_rental_once_it_is_back()
    {
        var chain = net.Chain;
        var network = chain.Network;
        using var wallet = await chain.NewWalletAsync(ct: Ct);
        Guid rental;
        ulong due;
        using (var supplier = await Trader.SignInAsync(net.App, replica: net.Api))
        using (var buyer = await Trader.SignInAsync(net.App, wallet, net.Api))
        using (var op = await Trader.SignInAsync(net.App, net.App.Operator, net.Api))
        {
            var device = await supplier.RegisterDeviceAsync("L40S", 2);
            await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked by hand" });
            await supplier.PlaceAskAsync(device, 900_000, now: net.App.Clock.GetUtcNow());
            rental = (await buyer.PlaceBidAsync("L40S", 2, 900_000, hours: 1, currency: "Usdc")).GetProperty("rentalId").GetGuid();
            due = (await buyer.RentalAsync(rental)).GetProperty("amountDue").GetUInt64();
        }
        // 1.8 USD for the hour, plus 0.25 % reservation and 2 % USDC fees: 1.8405 USDC.
        due.ShouldBe(1_840_500UL);
        await net.Api.DisposeAsync();

        var usdc = chain.Authority("usdc");
        await chain.ExecuteAsync(usdc,
        [
            AssociatedTokenInstruction.CreateIdempotent(usdc.PublicKey, wallet.PublicKey, network.Usdc.Address, network.Usdc.TokenProgram).Build(),
            new MintTo(network.Usdc.Address, network.Usdc.AccountOf(wallet.PublicKey), usdc.PublicKey, due) { ProgramId = network.Usdc.TokenProgram }.Build(),
        ], [usdc], Ct);
        var paid = await chain.ExecuteAsync(wallet, IoNetFlows.FundRental(wallet.PublicKey, network.Usdc, network.EscrowAuthority, rental, due), ct: Ct);
        paid.Meta!.Err.ShouldBeNull();
        var signature = paid.Transaction!.Signatures![0];
        await Waiting.UntilAsync(() => StoredEventsOfAsync(signature), n => n > 0, "the indexer storing the payment");

        var restarted = net.App.Replica(new Dictionary<string, string>
        {
            ["Marketplace:Chain:RpcUrl"] = chain.Process.RpcUrl.ToString(),
            ["Marketplace:Chain:AddressFile"] = chain.Process.AddressesFile,
        }, tokensFollowClock: true);
        using var again = await Trader.SignInAsync(net.App, wallet, restarted);
        var active = await Waiting.UntilAsync(() => again.RentalAsync(rental), r => r.GetProperty("status").GetString() == "Active", "the rental becoming active");

        active.GetProperty("funded").GetUInt64().ShouldBe(due);
        active.GetProperty("payments").EnumerateArray().Select(p => p.GetProperty("signature").GetString()).ShouldBe([signature]);
    }

    private async Task<long> StoredEventsOfAsync(string signature)
    {
        await using var connection = new NpgsqlConnection(net.App.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {net.App.Schema}.mt_events WHERE data->>'Signature' = @s", connection);
        command.Parameters.AddWithValue("s", signature);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
