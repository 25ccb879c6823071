using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.Claims;

/// <summary>The claims endpoints refuse what they cannot read with a 4xx ProblemDetails, never a 500; writes need a signed-in wallet.</summary>
public sealed class ClaimsRequestTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] BadBodies =
    [
        "", "{", "[]", "42", "\"s\"", "null", "{\"accrue\":\"true\"}", "{\"accrue\":1}", "{\"accrue\":null}", "{\"accrue\":true,\"x\":1}", "{}",
        "{\"account\":12}", "{\"account\":null}", "{\"account\":\"\"}", "{\"account\":\"0OIl\"}", "{\"account\":[]}", "{'accrue':true}",
        "{\"account\":\"" + new string('1', 300) + "\"}", "{\"accrue\":true,\"accrue\":tru", new string('[', 500) + new string(']', 500),
    ];

    [Fact]
    public async Task malformed_settings_and_claim_requests_get_a_4xx_problem_and_settings_need_a_signed_in_wallet()
    {
        var token = await app.SignInAsync(Keypair.Generate());
        var statuses = new Dictionary<HttpStatusCode, int>();
        foreach (var (method, path, who) in new[] { (HttpMethod.Put, "/api/earnings/settings", token), (HttpMethod.Post, "/api/pay/claims", null) })
        {
            foreach (var body in BadBodies)
            {
                foreach (var type in new[] { "application/json", "text/plain" })
                {
                    using var http = app.Client(who);
                    using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
                    using var response = await http.SendAsync(request, Ct);
                    if (path == "/api/earnings/settings" && body == "{}" && type == "application/json")
                    {
                        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
                    }
                    ((int)response.StatusCode).ShouldBeInRange(400, 499, $"{method} {path} {body}: {await response.Content.ReadAsStringAsync(Ct)}");
                    response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                }
            }
        }
        TestContext.Current.SendDiagnosticMessage(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}: {s.Value}")));

        using var anonymous = app.Client();
        (await anonymous.GetAsync("/api/earnings", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var signedIn = app.Client(token);
        using var ok = await signedIn.PutAsync("/api/earnings/settings", new StringContent("{\"accrue\":true}", Encoding.UTF8, "application/json"), Ct);
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync(Ct));
    }
}
