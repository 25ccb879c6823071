using System.Globalization;
using IoNet.ExplorerGraphQL.Tests.Support;
using IoNet.Ledger.Tokens;
using Microsoft.Playwright;

namespace IoNet.ExplorerGraphQL.Tests.Pages;

/// <summary>
/// Acceptance 3: the explorer's pages in a real browser (Debian's Chromium, headless) over the economy seeded through
/// the real localnet and indexer: every page opens cleanly, the click paths work, search finds, the markup is
/// accessible, and the pages work without JavaScript. Screenshots of every page are kept (see <see cref="Chromium"/>).
/// </summary>
[Collection(ExplorerEconomy.Collection)]
public sealed class BrowserPagesTests(ExplorerEconomy economy, Chromium chromium) : IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every page of the explorer (and a few filters and tabs), with the status each must answer.</summary>
    private static List<(string Name, string Path, int Status)> Tour(EconomySamples s) =>
    [
        ("home", "/", 200),
        ("clusters", "/clusters", 200),
        ("clusters-open-by-funding", "/clusters?escrow=open&order=funded", 200),
        ("cluster", $"/clusters/{s.SettledCluster.Id}", 200),
        ("devices", "/devices", 200),
        ("devices-by-rewards", "/devices?order=rewards", 200),
        ("device", $"/devices/{s.Device.Id}", 200),
        ("blocks", "/blocks", 200),
        ("block", $"/blocks/{s.Block.Id}", 200),
        ("payouts", "/payouts", 200),
        ("payouts-settlements", "/payouts?kind=settlement", 200),
        ("wallet-supplier", $"/wallets/{s.Supplier.Id}", 200),
        ("wallet-buyer-credits", $"/wallets/{s.Buyer.Id}?tab=credits", 200),
        ("wallet-buyer-burns", $"/wallets/{s.Buyer.Id}?tab=burns", 200),
        ("wallet-buyer-clusters", $"/wallets/{s.Buyer.Id}?tab=clusters", 200),
        ("transaction", $"/tx/{s.RewardSignature}", 200),
        ("search", "/search", 200),
        ("search-nothing-found", "/search?q=nothing-here", 404),
        ("device-unknown", "/devices/00000000000000000000000000000000", 404),
        ("page-unknown", "/no/such/page", 404),
    ];

    [Fact]
    public async Task every_page_opens_without_console_errors_or_failed_requests_and_is_kept_as_a_screenshot()
    {
        var samples = await EconomySamples.ReadAsync(economy, Ct);
        await using var context = await chromium.ContextAsync(economy.BaseUrl);
        var failures = new List<string>();
        foreach (var (name, path, status) in Tour(samples))
        {
            var page = await context.NewPageAsync();
            var watch = new PageWatch(page);
            if (status == 404)
                watch.Expect404(path);
            var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Load });
            if (response?.Status != status)
                failures.Add($"{path}: status {response?.Status}, expected {status}");
            (await page.TitleAsync()).ShouldNotBeNullOrWhiteSpace(path);
            await chromium.ScreenshotAsync(page, name);
            failures.AddRange(watch.Problems.Select(p => $"{path}: {p}"));
            await page.CloseAsync();
        }
        // The narrow (phone) layout of the two busiest pages: nothing wider than the screen (wide tables scroll inside
        // their frame); and the dark scheme.
        await using var phone = await chromium.ContextAsync(economy.BaseUrl, width: 390, height: 844);
        foreach (var (name, path) in new[] { ("phone-home", "/"), ("phone-cluster", $"/clusters/{samples.SettledCluster.Id}") })
        {
            var page = await phone.NewPageAsync();
            var watch = new PageWatch(page);
            await page.GotoAsync(path);
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, path);
            await chromium.ScreenshotAsync(page, name);
            failures.AddRange(watch.Problems.Select(p => $"{path} (phone): {p}"));
        }
        await using var dark = await chromium.ContextAsync(economy.BaseUrl);
        var darkPage = await dark.NewPageAsync();
        await darkPage.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await darkPage.GotoAsync("/");
        await chromium.ScreenshotAsync(darkPage, "home-dark");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task every_page_has_landmarks_one_heading_table_headers_with_scope_labels_and_titled_images()
    {
        var samples = await EconomySamples.ReadAsync(economy, Ct);
        await using var context = await chromium.ContextAsync(economy.BaseUrl);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var (_, path, _) in Tour(samples))
        {
            await page.GotoAsync(path);
            var found = await PageChecks.AccessibilityProblemsAsync(page);
            problems.AddRange(found.Select(f => $"{path}: {f}"));
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task home_to_cluster_to_its_payouts_to_the_transaction_by_clicks()
    {
        var samples = await EconomySamples.ReadAsync(economy, Ct);
        var cluster = samples.SettledCluster.Id;
        await using var context = await chromium.ContextAsync(economy.BaseUrl);
        var page = await context.NewPageAsync();
        var watch = new PageWatch(page);
        await page.GotoAsync("/");

        await page.Locator(".stat", new() { HasText = "Clusters" }).GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync("**/clusters");
        // The cluster's row, page by page.
        while (await page.Locator($"a[href='/clusters/{cluster}']").CountAsync() == 0)
            await page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();
        await page.Locator($"a[href='/clusters/{cluster}']").ClickAsync();
        await page.WaitForURLAsync($"**/clusters/{cluster}");
        (await page.Locator("h1").InnerTextAsync()).ShouldContain(cluster);
        (await Amount(page.Locator(".summary dd").Nth(3))).ShouldBe(samples.SettledCluster.Settled);

        await page.GetByRole(AriaRole.Link, new() { Name = "Payouts of this cluster →" }).ClickAsync();
        await page.WaitForURLAsync($"**/payouts?cluster={cluster}");
        var row = page.Locator("tbody tr").First;
        var signature = await row.Locator("a[href^='/tx/']").GetAttributeAsync("title");
        await row.Locator("a[href^='/tx/']").ClickAsync();
        await page.WaitForURLAsync($"**/tx/{signature}");
        (await page.Locator(".signature").InnerTextAsync()).ShouldBe(signature);
        (await page.Locator($"tbody a[href='/clusters/{cluster}']").CountAsync()).ShouldBeGreaterThan(0);
        await chromium.ScreenshotAsync(page, "path-cluster-transaction");
        watch.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task home_to_device_to_its_payout_to_the_transaction_by_clicks()
    {
        var samples = await EconomySamples.ReadAsync(economy, Ct);
        var device = samples.Device.Id;
        await using var context = await chromium.ContextAsync(economy.BaseUrl);
        var page = await context.NewPageAsync();
        var watch = new PageWatch(page);
        await page.GotoAsync("/");

        await page.Locator(".stat", new() { HasText = "Devices" }).GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync("**/devices");
        while (await page.Locator($"a[href='/devices/{device}']").CountAsync() == 0)
            await page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();
        await page.Locator($"a[href='/devices/{device}']").ClickAsync();
        await page.WaitForURLAsync($"**/devices/{device}");
        (await Amount(page.Locator(".summary dd").First)).ShouldBe(samples.Device.Rewards);

        var payout = page.Locator(".table-wrap tbody tr").First;
        var amount = await Amount(payout.Locator("data.amount"));
        var signature = await payout.Locator("a[href^='/tx/']").GetAttributeAsync("title");
        await payout.Locator("a[href^='/tx/']").ClickAsync();
        await page.WaitForURLAsync($"**/tx/{signature}");
        var reward = page.Locator("tbody tr", new() { Has = page.Locator($"a[href='/devices/{device}']") });
        (await Amount(reward.Locator("td.num data.amount"))).ShouldBe(amount);
        await chromium.ScreenshotAsync(page, "path-device-transaction");
        watch.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task search_finds_a_signature_a_device_and_a_reward_block_and_says_when_nothing_matches()
    {
        var samples = await EconomySamples.ReadAsync(economy, Ct);
        await using var context = await chromium.ContextAsync(economy.BaseUrl);
        var page = await context.NewPageAsync();
        var watch = new PageWatch(page);
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Searchbox).First.FillAsync(samples.RewardSignature);
        await page.GetByRole(AriaRole.Searchbox).First.PressAsync("Enter");
        await page.WaitForURLAsync($"**/tx/{samples.RewardSignature}");
        (await page.Locator(".signature").InnerTextAsync()).ShouldBe(samples.RewardSignature);

        // A device id in the dashed Guid form finds the device.
        await page.GetByRole(AriaRole.Searchbox).First.FillAsync(Guid.ParseExact(samples.Device.Id, "N").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).First.ClickAsync();
        await page.WaitForURLAsync($"**/devices/{samples.Device.Id}");

        await page.GetByRole(AriaRole.Searchbox).First.FillAsync(samples.Block.Id);
        await page.GetByRole(AriaRole.Searchbox).First.PressAsync("Enter");
        await page.WaitForURLAsync($"**/blocks/{samples.Block.Id}");

        watch.Expect404("/search?q=no-such-thing");
        await page.GetByRole(AriaRole.Searchbox).First.FillAsync("no-such-thing");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Searchbox).First.PressAsync("Enter"), r => r.Url.Contains("/search?q=no-such-thing", StringComparison.Ordinal));
        response.Status.ShouldBe(404);
        await page.WaitForURLAsync("**/search?q=no-such-thing");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Nothing found");
        watch.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task pages_work_with_javascript_disabled()
    {
        var samples = await EconomySamples.ReadAsync(economy, Ct);
        await using var context = await chromium.ContextAsync(economy.BaseUrl, javaScript: false);
        var page = await context.NewPageAsync();
        var watch = new PageWatch(page);
        await page.GotoAsync("/");
        (await page.Locator("svg.chart, figure.chart svg").CountAsync()).ShouldBeGreaterThan(0);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Payouts" }).ClickAsync();
        await page.WaitForURLAsync("**/payouts");
        // Paging is links; the filter form is a plain GET form.
        var first = await page.Locator("tbody a[href^='/tx/']").First.GetAttributeAsync("href");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();
        await page.WaitForURLAsync("**/payouts?after=**");
        (await page.Locator("tbody a[href^='/tx/']").First.GetAttributeAsync("href")).ShouldNotBe(first);
        await page.GetByRole(AriaRole.Link, new() { Name = "‹ Previous" }).ClickAsync();
        await page.WaitForURLAsync("**/payouts?before=**");
        (await page.Locator("tbody a[href^='/tx/']").First.GetAttributeAsync("href")).ShouldBe(first);
        await page.Locator("select[name=kind]").SelectOptionAsync("settlement");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await page.WaitForURLAsync("**/payouts?kind=settlement**");
        (await page.Locator("tbody .badge").AllInnerTextsAsync()).ShouldAllBe(t => t == "Rental settlement");

        await page.GetByRole(AriaRole.Searchbox).First.FillAsync(samples.SettledCluster.Id);
        await page.GetByRole(AriaRole.Searchbox).First.PressAsync("Enter");
        await page.WaitForURLAsync($"**/clusters/{samples.SettledCluster.Id}");
        await chromium.ScreenshotAsync(page, "no-javascript-cluster");
        watch.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task the_home_page_shows_the_projections_supply_and_totals_and_its_supply_chart_ends_at_the_supply()
    {
        await economy.CaughtUpAsync(Ct);
        var io = economy.Chain.Network.Io.Address.ToString();
        ulong supply;
        ulong rewards;
        await using (var q = economy.Store.QuerySession())
        {
            supply = (ulong)(await q.LoadAsync<TokenSupply>(io, Ct))!.Circulating!;
            rewards = (await q.LoadAsync<IoNet.Ledger.Network.NetworkTotals>(IoNet.Ledger.Network.NetworkTotals.DocumentId, Ct))!.RewardsPaid;
        }
        supply.ShouldBe(await economy.Supply(io, Ct));
        await using var context = await chromium.ContextAsync(economy.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        (await Amount(page.Locator(".stat", new() { HasText = "IO supply" }).Locator("data.amount"))).ShouldBe(supply);
        (await Amount(page.Locator(".stat", new() { HasText = "Block rewards paid" }).Locator("data.amount"))).ShouldBe(rewards);
        var description = await page.Locator("#io-supply-desc").TextContentAsync();
        description.ShouldNotBeNull().ShouldContain($"last {Io(supply)} IO");
        (await page.Locator("figure.map path.country").CountAsync()).ShouldBeGreaterThan(170);
    }

    private static async Task<ulong> Amount(ILocator locator)
    {
        var amount = locator.Locator("xpath=self::data").Or(locator.Locator("data.amount")).First;
        return ulong.Parse((await amount.GetAttributeAsync("value"))!, CultureInfo.InvariantCulture);
    }

    private static string Io(ulong baseUnits) => IoNet.Explorer.Components.AmountText.Format(baseUnits, 8);
}
