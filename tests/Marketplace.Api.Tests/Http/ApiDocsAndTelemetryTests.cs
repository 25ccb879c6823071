using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.Http;

public sealed partial class ApiDocsAndTelemetryTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_openapi_document_is_3_1_and_describes_every_endpoint_with_its_security_and_idempotency_key()
    {
        using var http = app.Client();

        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json", Ct)).RootElement;

        document.GetProperty("openapi").GetString()!.ShouldStartWith("3.1");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/auth/nonce", "/api/auth/verify", "/api/hardware", "/api/devices", "/api/devices/mine", "/api/devices/{id}",
                     "/api/devices/{id}/pause", "/api/devices/{id}/resume", "/api/operator/devices/{id}/eligible", "/api/operator/devices/{id}/status" })
            paths.TryGetProperty(path, out _).ShouldBeTrue(path);
        var register = paths.GetProperty("/api/devices").GetProperty("post");
        register.GetProperty("security").GetArrayLength().ShouldBe(1);
        register.GetProperty("parameters").EnumerateArray().ShouldContain(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        var connectivity = document.GetProperty("components").GetProperty("schemas").GetProperty("ConnectivityTier");
        connectivity.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldBe(["Ultra", "High", "Medium", "Low"]);
    }

    [Fact]
    public async Task the_scalar_ui_is_served_from_this_process_with_no_outside_address()
    {
        using var http = app.Client();

        using var page = await http.GetAsync("/scalar/v1", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        assets.ShouldNotBeEmpty(html);
        assets.ShouldAllBe(a => !a.Contains("//"), string.Join(", ", assets));
        html.ShouldNotContain("cdn.");
        html.ShouldNotContain("fonts.");
        foreach (var asset in assets.Where(a => a.EndsWith(".js", StringComparison.Ordinal)))
        {
            var url = asset.StartsWith('/') ? asset : "/scalar/" + asset.TrimStart('.', '/');
            (await http.GetAsync(url, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
        }
    }

    [Fact]
    public async Task metrics_are_scraped_at_metrics_with_the_marketplace_counters()
    {
        using var wallet = Keypair.Generate();
        await app.SignInAsync(wallet);
        using var http = app.Client();

        var metrics = await http.GetStringAsync("/metrics", Ct);

        metrics.ShouldContain("ionet_marketplace_sign_ins_total");
        metrics.ShouldContain("http_server_request_duration_seconds");
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["']([^"']+)["']""")]
    private static partial Regex AssetReference();
}
