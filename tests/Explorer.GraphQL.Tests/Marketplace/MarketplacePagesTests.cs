using IoNet.ExplorerGraphQL.Tests.Support;
using Microsoft.Playwright;

namespace IoNet.ExplorerGraphQL.Tests.Marketplace;

/// <summary>
/// The pages that show the marketplace (home: devices and prices; devices; a device; clusters; a cluster) in a real
/// browser over the marketplace fixture: they open cleanly, are accessible, show what the read models hold, and link
/// home → GPU model → device → its cluster by clicks. Screenshots are kept (see <see cref="Chromium"/>).
/// </summary>
public sealed class MarketplacePagesTests(MarketplaceLedger market, Chromium chromium) : IClassFixture<MarketplaceLedger>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string N(Guid id) => id.ToString("N");

    [Fact]
    public async Task the_marketplace_pages_open_cleanly_are_accessible_and_are_kept_as_screenshots()
    {
        await using var context = await chromium.ContextAsync(market.BaseUrl);
        var failures = new List<string>();
        foreach (var (name, path) in new[]
        {
            ("market-home", "/"), ("market-devices", "/devices"), ("market-devices-hired-h100", "/devices?status=hired&model=H100"),
            ("market-device", $"/devices/{N(market.H100Pair)}"), ("market-device-paused", $"/devices/{N(market.L4Paused)}"),
            ("market-clusters", "/clusters"), ("market-clusters-active", "/clusters?status=active"),
            ("market-cluster-active", $"/clusters/{N(market.ActiveRental)}"), ("market-cluster-settled", $"/clusters/{N(market.EndedRental)}"),
        })
        {
            var page = await context.NewPageAsync();
            var watch = new PageWatch(page);
            var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Load });
            if (response?.Status != 200)
                failures.Add($"{path}: status {response?.Status}");
            failures.AddRange((await PageChecks.AccessibilityProblemsAsync(page)).Select(p => $"{path}: {p}"));
            await chromium.ScreenshotAsync(page, name);
            failures.AddRange(watch.Problems.Select(p => $"{path}: {p}"));
            await page.CloseAsync();
        }
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task home_shows_devices_and_prices_and_leads_to_a_device_and_its_cluster_by_clicks()
    {
        await using var context = await chromium.ContextAsync(market.BaseUrl);
        var page = await context.NewPageAsync();
        var watch = new PageWatch(page);
        await page.GotoAsync("/");
        var prices = page.Locator("section[aria-labelledby=market] table");
        (await prices.Locator("tbody tr").CountAsync()).ShouldBe(2, "H100 and A100");
        var h100 = prices.Locator("tbody tr", new() { HasText = "H100" });
        // Best ask 3 USD (the spare; the others are hired), no bid, last fill 6.5 / 3 USD, 65 USD booked in 24 hours.
        (await h100.Locator("td").AllInnerTextsAsync()).ShouldBe(["$3.000000", "—", "$2.166666", "$65.000000", "1"]);
        (await page.Locator("#gpu-inventory, [id^=gpu-inventory]").CountAsync()).ShouldBeGreaterThan(0);
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Registered devices");

        await h100.Locator("a", new() { HasText = "H100" }).ClickAsync();
        await page.WaitForURLAsync("**/devices?model=H100");
        await page.Locator($"a[href='/devices/{N(market.H100Pair)}']").First.ClickAsync();
        await page.WaitForURLAsync($"**/devices/{N(market.H100Pair)}");
        var device = await page.Locator("main").InnerTextAsync();
        device.ShouldContain("2 × H100");
        device.ShouldContain("Berlin, DE");
        device.ShouldContain("1 failed proof of work (last outcome: Timeout)");
        await page.Locator($"a[href='/clusters/{N(market.ActiveRental)}']").First.ClickAsync();
        await page.WaitForURLAsync($"**/clusters/{N(market.ActiveRental)}");
        var cluster = await page.Locator("main").InnerTextAsync();
        cluster.ShouldContain("active");
        cluster.ShouldContain("3 on 2 devices");
        (await page.Locator($"a[href='/devices/{N(market.H100Single)}']").CountAsync()).ShouldBe(1);
        watch.Problems.ShouldBeEmpty();
    }
}
