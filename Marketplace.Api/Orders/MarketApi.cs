using System.ComponentModel.DataAnnotations;
using IoNet.Ledger.Market;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Orders;

/// <summary>Public market data: per GPU model the best ask and bid, the latest fill, a day's volume and the depth.</summary>
public static class MarketApi
{
    public static IEndpointRouteBuilder MapMarket(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/market", Summary).WithTags("Market").AllowAnonymous()
            .WithSummary("Per GPU model: best ask, best bid, last fill (micro-USD per GPU-hour), 24 h volume and depth");
        return app;
    }

    private static async Task<Ok<MarketSummary>> Summary(
        OrderBookHost book, IDocumentStore store, CancellationToken ct, [Range(1, 50)] int depth = 10)
    {
        var (now, models) = await book.QueryAsync((engine, now) =>
            (now, engine.GpuModels().Select(m => (Model: m, Ask: engine.BestAskPrice(m), Bid: engine.BestBidPrice(m),
                Last: engine.LastFillPrice(m), Depth: engine.Depth(m, depth))).ToList()), ct);
        await using var session = store.QuerySession();
        var prices = (await session.Query<MarketPrice>().ToListAsync(ct)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var names = models.Select(m => m.Model).Union(prices.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var byModel = models.ToDictionary(m => m.Model, StringComparer.Ordinal);
        var views = names.Select(name =>
        {
            var live = byModel.GetValueOrDefault(name);
            var price = prices.GetValueOrDefault(name);
            return new ModelMarket(name, live.Ask, live.Bid, live.Last ?? price?.LastFillPrice, price?.LastFillAt,
                price?.VolumeSince(now.AddHours(-24)) ?? 0, live.Depth?.Asks ?? [], live.Depth?.Bids ?? []);
        }).ToList();
        return TypedResults.Ok(new MarketSummary(now, views));
    }
}
