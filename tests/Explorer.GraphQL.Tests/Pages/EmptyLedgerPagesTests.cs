using System.Net;
using IoNet.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IoNet.ExplorerGraphQL.Tests.Pages;

/// <summary>Before anything is indexed (no Ledger tables at all) every page answers with a clear empty state, never an error.</summary>
public sealed class EmptyLedgerPagesTests : IAsyncLifetime
{
    private readonly PostgresSchema _schema = new();
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _schema.InitializeAsync();
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("IONET_DB", _schema.ConnectionString).UseSetting("Explorer:Schema", _schema.Name)
            .UseSetting("Explorer:AddressFile", "/nonexistent/addresses.json"));
        _http = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    [Theory]
    [InlineData("/", "Nothing is indexed yet")]
    [InlineData("/", "No payouts yet")]
    [InlineData("/", "No market prices yet")]
    [InlineData("/", "No device has reported its hardware yet")]
    [InlineData("/", "No device has reported a location yet")]
    [InlineData("/clusters", "No clusters yet")]
    [InlineData("/devices", "No devices registered yet")]
    [InlineData("/blocks", "No reward blocks yet")]
    [InlineData("/payouts", "No payouts match")]
    [InlineData("/search", "Find a transaction by its signature")]
    public async Task a_page_of_an_empty_ledger_says_what_is_missing(string path, string text)
    {
        var response = await _http.GetAsync(path, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain(text);
    }

    [Theory]
    [InlineData("/devices/0123456789abcdef0123456789abcdef", "No such device")]
    [InlineData("/clusters/0123456789abcdef0123456789abcdef", "No such cluster")]
    [InlineData("/blocks/7", "No such reward block")]
    [InlineData("/blocks/not-a-number", "No such reward block")]
    [InlineData("/wallets/11111111111111111111111111111111", "No such wallet")]
    [InlineData("/tx/5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW", "No such transaction")]
    [InlineData("/search?q=anything", "Nothing found")]
    [InlineData("/no/such/page", "Page not found")]
    public async Task an_address_with_nothing_under_it_is_a_friendly_404_page(string path, string title)
    {
        var response = await _http.GetAsync(path, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain($"<h1 id=\"problem-title\">{title}</h1>");
        html.ShouldContain("<main");
        html.ShouldContain("action=\"/search\"");
    }

    [Theory]
    [InlineData("/payouts?after=not-a-cursor")]
    [InlineData("/clusters?before=bm90OmEtY3Vyc29y")]
    [InlineData("/payouts?kind=bogus")]
    [InlineData("/payouts?block=-1")]
    public async Task a_damaged_page_link_or_filter_is_a_400_page_not_an_error(string path)
    {
        var response = await _http.GetAsync(path, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("<h1 id=\"problem-title\">");
    }

    [Fact]
    public async Task the_csv_exports_of_an_empty_ledger_hold_their_header_only()
    {
        (await _http.GetStringAsync("/payouts.csv", Ct)).ShouldBe("signature,slot,block_time,kind,recipient,mint,token,amount_base_units,amount,device,reward_block,cluster,path\r\n");
        (await _http.GetStringAsync("/blocks.csv", Ct)).ShouldBe("number,total_base_units,total_io,devices\r\n");
    }

    [Fact]
    public async Task the_stylesheet_is_served_from_the_assembly_and_cached_by_its_hash()
    {
        var home = await _http.GetStringAsync("/", Ct);
        var href = System.Text.RegularExpressions.Regex.Match(home, "href=\"(/site\\.css\\?v=[0-9a-f]+)\"").Groups[1].Value;
        href.ShouldNotBeEmpty();
        var css = await _http.GetAsync(href, Ct);
        css.StatusCode.ShouldBe(HttpStatusCode.OK);
        css.Content.Headers.ContentType!.MediaType.ShouldBe("text/css");
        css.Headers.CacheControl!.ToString().ShouldContain("immutable");
        // Nothing from outside: no CDN, no web font, no script.
        home.ShouldNotContain("<script");
        System.Text.RegularExpressions.Regex.IsMatch(home, "(src|href)=\"https?://").ShouldBeFalse();
        (await css.Content.ReadAsStringAsync(Ct)).ShouldNotContain("url(http");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _schema.DisposeAsync();
    }
}
