using System.Net;
using IoNet.MarketplaceApi.Tests.Support;

namespace IoNet.MarketplaceApi.Tests.Settlement;

/// <summary>GET /api/rentals/{id}/settlement: for the rental's buyer and suppliers, a ProblemDetails for everything else.</summary>
public sealed class SettlementApiTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_settlement_is_refused_without_a_token_to_another_wallet_and_for_an_unknown_or_running_rental()
    {
        using var supplier = await Trader.SignInAsync(app);
        using var buyer = await Trader.SignInAsync(app);
        using var stranger = await Trader.SignInAsync(app);
        using var op = await Trader.SignInAsync(app, app.Operator);
        var device = await supplier.RegisterDeviceAsync("A100-80GB", 1);
        await op.PostAsync($"/api/operator/devices/{device}/eligible", new { reason = "checked by hand" });
        await supplier.PlaceAskAsync(device, 900_000, now: app.Clock.GetUtcNow());
        var rental = (await buyer.PlaceBidAsync("A100-80GB", 1, 900_000, hours: 1)).GetProperty("rentalId").GetGuid();

        using var anonymous = app.Client();
        (await anonymous.GetAsync($"/api/rentals/{rental}/settlement", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await (await stranger.Http.GetAsync($"/api/rentals/{rental}/settlement", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await buyer.Http.GetAsync($"/api/rentals/{Guid.NewGuid()}/settlement", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var waiting = await (await supplier.Http.GetAsync($"/api/rentals/{rental}/settlement", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        waiting.GetProperty("detail").GetString().ShouldBe($"Rental {rental} is AwaitingPayment: nothing to settle (yet).");
        await (await buyer.Http.GetAsync("/api/rentals/not-a-guid/settlement", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
