using System.Net;
using IoNet.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IoNet.MarketplaceApi.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task health_is_ok_when_the_database_answers()
    {
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("IONET_DB", PostgresSchema.ServerConnectionString()));
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("\"marketplace\"");
    }

    [Fact]
    public async Task health_is_503_when_the_database_is_unreachable()
    {
        // Port 1 on loopback: nothing listens there, so the ping fails at once.
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("IONET_DB", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2"));
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }
}
