using System.Security.Claims;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.Matching;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Orders;

/// <summary>Asks (suppliers offer devices), bids (buyers ask for GPUs), cancels and "my orders", over the order book's host.</summary>
public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        var asks = app.MapGroup("/api/asks").WithTags("Orders").RequireAuthorization(WalletPolicy);
        asks.MapPost("/", PlaceAsk).WithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Offers one of the signed-in wallet's devices for hire at a price per GPU-hour");
        var bids = app.MapGroup("/api/bids").WithTags("Orders").RequireAuthorization(WalletPolicy);
        bids.MapPost("/", PlaceBid).WithIdempotencyKey()
            .WithSummary("Asks for GPUs: fills at once with the cheapest fitting devices (a rental to pay), or rests until it expires");
        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(WalletPolicy);
        orders.MapGet("/mine", Mine).WithSummary("The signed-in wallet's asks and resting bids");
        orders.MapDelete("/{id}", Cancel)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Withdraws an ask or a resting bid (its owner only)");
        return app;
    }

    private const string WalletPolicy = WalletPrincipal.WalletPolicy;

    public sealed record Services(OrderBookHost Book, HardwareCatalogue Catalogue, MarketSettings Settings, TimeProvider Clock);

    private static async Task<Results<Created<AskOrderView>, ValidationProblem, ProblemHttpResult>> PlaceAsk(
        PlaceAskRequest request, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        if (request.Errors() is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors);
        var input = new AskInput(Guid.CreateVersion7(s.Clock.GetUtcNow()), request.DeviceId!.Value, user.RequireWallet(),
            request.PricePerGpuHour!.Value, request.MinHours, request.MaxHours!.Value, request.AvailableUntil!.Value, request.Accepted);
        var outcome = await s.Book.SendAsync(input, ct);
        if (outcome.Rejection is { } rejection)
            return Problem(rejection);
        var view = AskOrderView.Of((AskView)outcome.Answer!);
        return TypedResults.Created($"/api/orders/{view.Id}", view);
    }

    private static async Task<Results<Created<BidOrderView>, ValidationProblem, ProblemHttpResult>> PlaceBid(
        PlaceBidRequest request, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        if (request.Errors(s.Catalogue, s.Settings) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors);
        var input = new BidInput(Guid.CreateVersion7(s.Clock.GetUtcNow()), user.RequireWallet(),
            request.GpuModel is null ? null : s.Catalogue.Gpu(request.GpuModel)!.Id, request.GpuClass, request.GpuCount!.Value,
            request.MaxPricePerGpuHour!.Value, request.Hours!.Value, request.Countries, request.MinConnectivity, request.MinSecurity,
            request.SingleSupplier, request.Currency!.Value, TimeSpan.FromMinutes(request.ExpiresInMinutes));
        var outcome = await s.Book.SendAsync(input, ct);
        if (outcome.Rejection is { } rejection)
            return Problem(rejection);
        var placed = outcome.Result.Events.OfType<BidPlaced>().Single();
        var view = outcome.Result.Events.OfType<BidFilled>().FirstOrDefault(f => f.BidId == placed.BidId) is { } filled
            ? BidOrderView.Filled(placed, filled.RentalId)
            : BidOrderView.Of((BidView)outcome.Answer!);
        return TypedResults.Created($"/api/orders/{view.Id}", view);
    }

    private static async Task<Ok<MyOrders>> Mine(ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        var wallet = user.RequireWallet();
        var (asks, bids) = await s.Book.QueryAsync((engine, _) => engine.OrdersOf(wallet), ct);
        return TypedResults.Ok(new MyOrders(asks.Select(AskOrderView.Of).ToList(), bids.Select(BidOrderView.Of).ToList()));
    }

    private static async Task<Results<Ok<CancelledOrder>, ProblemHttpResult>> Cancel(
        Guid id, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        var outcome = await s.Book.SendAsync(new EngineInput(new CancelOrder(id, user.RequireWallet(), default)), ct);
        if (outcome.Rejection is { } rejection)
            return Problem(rejection);
        var cancelled = outcome.Result.Events.OfType<OrderCancelled>().Single();
        return TypedResults.Ok(new CancelledOrder(id, cancelled.Side, "Cancelled"));
    }

    /// <summary>The engine's refusal as ProblemDetails: its reason is the detail.</summary>
    internal static ProblemHttpResult Problem(Rejection rejection) => rejection.Code switch
    {
        RejectionCode.NotFound => ApiProblems.NotFound(rejection.Reason),
        RejectionCode.NotOwner => ApiProblems.Forbidden(rejection.Reason),
        RejectionCode.Invalid => ApiProblems.BadRequest(rejection.Reason),
        _ => ApiProblems.Conflict(rejection.Reason),
    };
}
