using IoNet.Explorer.Components;
using IoNet.Explorer.Components.Charts;
using IoNet.Explorer.Components.Map;
using IoNet.Explorer.Reads;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoNet.ExplorerGraphQL.Tests.Pages;

/// <summary>The pages' parts on their own: exact amounts, charts with little data, the world map.</summary>
public sealed class PagePartsTests
{
    [Theory]
    [InlineData(0UL, 8, "0.00000000")]
    [InlineData(1UL, 8, "0.00000001")]
    [InlineData(123_456_789_012UL, 8, "1,234.56789012")]
    [InlineData(1_500_000UL, 6, "1.500000")]
    [InlineData(ulong.MaxValue, 8, "184,467,440,737.09551615")]
    [InlineData(ulong.MaxValue, 6, "18,446,744,073,709.551615")]
    [InlineData(ulong.MaxValue, 0, "18,446,744,073,709,551,615")]
    public void amounts_show_every_decimal_of_their_token_exactly(ulong baseUnits, int decimals, string text) =>
        AmountText.Format(baseUnits, decimals).ShouldBe(text);

    [Theory]
    [InlineData(150_000_000UL, 8, "1.5")]
    [InlineData(100_000_000UL, 8, "1")]
    [InlineData(ulong.MaxValue, 8, "184467440737.09551615")]
    [InlineData(7UL, 6, "0.000007")]
    public void csv_amounts_are_exact_decimals_without_separators(ulong baseUnits, int decimals, string text) =>
        AmountText.Plain(baseUnits, decimals).ShouldBe(text);

    [Fact]
    public async Task an_amount_of_a_known_mint_renders_its_base_units_and_token()
    {
        var html = await RenderAsync<Explorer.Components.Shared.Amount>(new() { ["Value"] = 123_450_000UL, ["Mint"] = "iosd-mint" });
        html.ShouldContain("value=\"123450000\"");
        html.ShouldContain("123<span class=\"fraction\">.45<span class=\"zeros\">0000</span></span>");
        html.ShouldContain(">IOSD</abbr>");
        (await RenderAsync<Explorer.Components.Shared.Amount>(new() { ["Value"] = 5UL, ["Mint"] = "unknown" })).ShouldContain("5 <span class=\"unit\">base units</span>");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(40)]
    public async Task a_chart_draws_a_titled_svg_whatever_the_number_of_points(int count)
    {
        var points = Enumerable.Range(0, count).Select(i => new ChartPoint($"#{i}", i * 1.5m, $"{i * 1.5m} IO")).ToList();
        foreach (var kind in new[] { ChartKind.Bar, ChartKind.Line })
        {
            var html = await RenderAsync<Chart>(new() { ["Id"] = "c", ["Title"] = "Burned", ["Points"] = points, ["Kind"] = kind, ["EmptyText"] = "Nothing yet" });
            html.ShouldContain("role=\"img\"");
            html.ShouldContain("<title id=\"c-title\">Burned</title>");
            html.ShouldNotContain("NaN");
            html.ShouldNotContain("Infinity");
            if (count == 0)
                html.ShouldContain("Nothing yet");
            else
                System.Text.RegularExpressions.Regex.Matches(html, kind == ChartKind.Bar ? "<rect class=\"bar\"" : "<circle class=\"dot\"").Count.ShouldBe(count);
        }
    }

    [Fact]
    public void chart_ticks_are_round_and_reach_the_largest_value()
    {
        ChartScale.Ticks(0).ShouldBe([0m, 1m]);
        ChartScale.Ticks(7).ShouldBe([0m, 2m, 4m, 6m, 8m]);
        ChartScale.Ticks(1_000_000m).ShouldBe([0m, 250_000m, 500_000m, 750_000m, 1_000_000m]);
        ChartScale.Ticks(0.003m)[^1].ShouldBeGreaterThanOrEqualTo(0.003m);
        // A supply far from zero: the axis spans its changes.
        var supply = ChartScale.Ticks(99_992_622.45m, 100_000_000m);
        (supply[0], supply[^1]).ShouldBe((99_992_000m, 100_000_000m));
        supply.Count.ShouldBeLessThanOrEqualTo(6);
        ChartScale.Compact(1_500_000m).ShouldBe("1.5M");
        ChartScale.Compact(0.25m).ShouldBe("0.25");
    }

    [Fact]
    public void the_world_map_has_every_country_of_world_atlas_keyed_by_alpha_2()
    {
        var shapes = WorldShapes.Load();
        shapes.Countries.Count.ShouldBeGreaterThan(170);
        var codes = shapes.Countries.Select(c => c.Code).OfType<string>().ToList();
        codes.ShouldBeUnique();
        codes.ShouldAllBe(c => c.Length == 2 && c.All(char.IsAsciiLetterUpper));
        foreach (var code in new[] { "US", "DE", "FR", "BR", "JP", "AU", "IN", "NG", "CA", "CN", "XK" })
            codes.ShouldContain(code);
        shapes.Countries.Single(c => c.Code == "DE").D.ShouldStartWith("M");
    }

    [Fact]
    public async Task the_world_map_shades_countries_by_their_device_count()
    {
        var html = await RenderAsync<WorldMap>(new() { ["Id"] = "m", ["Counts"] = new Dictionary<string, long> { ["FR"] = 4, ["US"] = 1 } });
        html.ShouldContain("class=\"country q4\" d=\"");
        System.Text.RegularExpressions.Regex.IsMatch(html, "class=\"country q4\"[^>]*data-code=\"FR\"><title>[^<]*France[^<]*: 4 devices</title>").ShouldBeTrue();
        System.Text.RegularExpressions.Regex.IsMatch(html, "class=\"country q1\"[^>]*data-code=\"US\"><title>[^<]*: 1 device</title>").ShouldBeTrue();
        System.Text.RegularExpressions.Regex.IsMatch(html, "class=\"country q0\"[^>]*data-code=\"DE\">").ShouldBeTrue();
        html.ShouldContain("5 devices in 2 countries");
        (await RenderAsync<WorldMap>(new() { ["Id"] = "m", ["Counts"] = new Dictionary<string, long>() })).ShouldContain("No device has reported a location yet.");
    }

    private static async Task<string> RenderAsync<T>(Dictionary<string, object?> parameters) where T : IComponent
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(WorldShapes.Load())
            .AddSingleton(new TokenCatalog(new NetworkMints("io-mint", "iosd-mint", "usdc-mint")))
            .BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}
