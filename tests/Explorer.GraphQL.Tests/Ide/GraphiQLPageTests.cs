using System.Net;
using System.Text.RegularExpressions;
using IoNet.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IoNet.ExplorerGraphQL.Tests.Ide;

/// <summary>GraphiQL at /graphql/ui/ comes from this server only (bundled at build time): no CDN, so it works offline.</summary>
public sealed partial class GraphiQLPageTests
{
    [Fact]
    public async Task graphiql_and_its_workers_are_served_from_local_files_with_no_outside_url()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("IONET_DB", PostgresSchema.ServerConnectionString()));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await client.GetAsync("/graphql/ui/", ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(ct);
        html.ShouldContain("index.js");
        OutsideUrl().IsMatch(html).ShouldBeFalse(html);
        foreach (var asset in new[] { "index.js", "index.css", "editor.worker.js", "json.worker.js", "graphql.worker.js" })
        {
            var response = await client.GetAsync("/graphql/ui/" + asset, ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, asset);
            (await response.Content.ReadAsByteArrayAsync(ct)).Length.ShouldBeGreaterThan(1000, asset);
        }
        // A browser opening /graphql gets the IDE.
        using var browser = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        browser.Headers.Accept.ParseAdd("text/html");
        var redirect = await client.SendAsync(browser, ct);
        redirect.Headers.Location!.ToString().ShouldBe("/graphql/ui/");
    }

    [GeneratedRegex("(src|href)=\"https?://", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideUrl();
}
