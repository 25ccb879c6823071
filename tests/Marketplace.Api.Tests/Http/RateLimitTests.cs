using System.Net;
using System.Net.Http.Json;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.Http;

public sealed class RateLimitTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Buckets that refill one token a second at most: a test's few requests exhaust them long before that matters.
    private static Dictionary<string, string> Limits(int perIp, int perWallet) => new()
    {
        ["Marketplace:RateLimits:PerIp:Burst"] = perIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Marketplace:RateLimits:PerIp:PerMinute"] = "0",
        ["Marketplace:RateLimits:PerWallet:Burst"] = perWallet.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Marketplace:RateLimits:PerWallet:PerMinute"] = "0",
    };

    [Fact]
    public async Task anonymous_requests_past_the_per_ip_limit_get_429_problems_with_retry_after()
    {
        using var http = MarketplaceApp.ClientOf(app.Replica(Limits(perIp: 3, perWallet: 100)));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last?.Dispose();
            last = await http.GetAsync("/api/hardware", Ct);
            statuses.Add(last.StatusCode);
        }

        statuses.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]);
        (await last!.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("detail").GetString()!.ShouldContain("per IP");
        last!.Headers.RetryAfter.ShouldNotBeNull();
        last.Dispose();
    }

    [Fact]
    public async Task each_wallet_has_its_own_bucket()
    {
        var replica = app.Replica(Limits(perIp: 1000, perWallet: 2));
        using var first = Keypair.Generate();
        using var second = Keypair.Generate();
        using var anonymous = MarketplaceApp.ClientOf(replica);
        using var firstHttp = MarketplaceApp.ClientOf(replica, await app.SignInAsync(first, anonymous));
        using var secondHttp = MarketplaceApp.ClientOf(replica, await app.SignInAsync(second, anonymous));

        var firstStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            firstStatuses.Add((await firstHttp.GetAsync("/api/devices/mine", Ct)).StatusCode);
        var secondStatus = (await secondHttp.GetAsync("/api/devices/mine", Ct)).StatusCode;

        firstStatuses.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        secondStatus.ShouldBe(HttpStatusCode.OK);
        (await (await firstHttp.PostAsJsonAsync("/api/devices", new { }, Ct)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests))
            .GetProperty("detail").GetString()!.ShouldContain("per wallet");
    }

    [Fact]
    public async Task sign_in_has_a_stricter_limit_per_ip()
    {
        using var http = MarketplaceApp.ClientOf(app.Replica(new Dictionary<string, string>
        {
            ["Marketplace:RateLimits:SignIn:Burst"] = "2", ["Marketplace:RateLimits:SignIn:PerMinute"] = "0",
        }));
        var address = Keypair.Generate().PublicKey.ToString();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            statuses.Add((await http.PostAsJsonAsync("/api/auth/nonce", new { address }, Ct)).StatusCode);

        statuses.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        (await http.GetAsync("/api/hardware", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
