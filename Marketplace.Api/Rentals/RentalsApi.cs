using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Orders;
using IoNet.Marketplace.Pricing;
using IoNet.Marketplace.Quotes;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Rentals;

/// <summary>Rentals (clusters) for their buyer and suppliers: read, list, extend, end.</summary>
public static class RentalsApi
{
    public static IEndpointRouteBuilder MapRentals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rentals").WithTags("Rentals").RequireAuthorization(WalletPrincipal.WalletPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/mine", Mine).WithSummary("Rentals of the signed-in wallet, as buyer or as supplier, newest first");
        group.MapGet("/{id}", Get).WithSummary("A rental, for its buyer and its suppliers");
        group.MapPost("/{id}/extend", Extend).WithIdempotencyKey().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Asks for more hours at the same prices; they are added once the extension is paid");
        group.MapPost("/{id}/end", End).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Ends the rental now (the buyer only); the devices return to the book");
        return app;
    }

    public sealed record Services(IDocumentStore Store, RentalStreams Rentals, IUsdRateSource Rates, MarketSettings Settings, TimeProvider Clock);

    private static async Task<Results<Ok<RentalView>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        await using var session = s.Store.QuerySession();
        var rental = await session.LoadAsync<Rental>(Rental.StreamKey(id), ct);
        var wallet = user.RequireWallet();
        if (rental is null)
            return ApiProblems.NotFound($"No rental {id}.");
        return rental.Buyer == wallet || rental.Suppliers.Contains(wallet)
            ? TypedResults.Ok(RentalView.Of(rental))
            : ApiProblems.Forbidden("Only the rental's buyer and its suppliers may see it.");
    }

    private static async Task<Ok<RentalPage>> Mine(
        ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct,
        [Range(0, 1_000_000)] int offset = 0, [Range(1, 200)] int limit = 50)
    {
        var wallet = user.RequireWallet();
        await using var session = s.Store.QuerySession();
        var rentals = await session.Query<Rental>().Where(r => r.Buyer == wallet || r.Suppliers.Contains(wallet))
            .OrderByDescending(r => r.MatchedAt).ThenBy(r => r.Id).Skip(offset).Take(limit).ToListAsync(ct);
        return TypedResults.Ok(new RentalPage(rentals.Select(RentalView.Of).ToList(), offset, limit, rentals.Count == limit ? offset + limit : null));
    }

    private static async Task<Results<Ok<RentalView>, ProblemHttpResult>> Extend(
        Guid id, ExtendRentalRequest request, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        var wallet = user.RequireWallet();
        var (decision, rental) = await s.Rentals.ChangeAsync(id, state =>
        {
            if (state is null)
                return RentalDecision.Reject(RentalRejection.NotFound, $"No rental {id}.");
            // Same prices and currency; IO at the rate fixed when the rental was matched.
            var price = RentalPrice.Of(state.PerHourMicroUsd, request.Hours!.Value, state.Currency, state.IoRateMicroUsd);
            return RentalDecisions.Decide(state, new RequestExtension(Guid.CreateVersion7(s.Clock.GetUtcNow()), wallet,
                request.Hours.Value, price, s.Settings.PaymentWindow, s.Clock.GetUtcNow()));
        }, ct);
        return Answer(decision, rental);
    }

    private static async Task<Results<Ok<RentalView>, ProblemHttpResult>> End(Guid id, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        var wallet = user.RequireWallet();
        var (decision, rental) = await s.Rentals.ChangeAsync(id, state => RentalDecisions.Decide(state, new EndRental(wallet, s.Clock.GetUtcNow())), ct);
        return Answer(decision, rental);
    }

    private static Results<Ok<RentalView>, ProblemHttpResult> Answer(RentalDecision decision, Rental? rental) => decision.Rejection switch
    {
        null => TypedResults.Ok(RentalView.Of(rental!)),
        RentalRejection.NotFound => ApiProblems.NotFound(decision.Detail!),
        RentalRejection.NotOwner => ApiProblems.Forbidden(decision.Detail!),
        RentalRejection.Invalid => ApiProblems.BadRequest(decision.Detail!),
        _ => ApiProblems.Conflict(decision.Detail!),
    };
}

public sealed record ExtendRentalRequest
{
    [Required, Range(1, MarketLimits.MaxHours)]
    public int? Hours { get; init; }
}

/// <summary>
/// A rental as its buyer and suppliers see it. USD in micro-USD; <see cref="AmountDue"/>, <see cref="Funded"/> and
/// <see cref="Outstanding"/> and <see cref="Overpaid"/> (refunded at settlement) in base units of <see cref="Currency"/>
/// (<see cref="Decimals"/>).
/// </summary>
public sealed record RentalView(
    Guid Id, Guid BidId, string Buyer, RentalStatus Status, RentalEndReason? EndReason, int GpuCount, int Hours, string Currency,
    byte Decimals, IReadOnlyList<RentalDevice> Devices, ulong PerHourMicroUsd, ulong TotalMicroUsd, ulong? IoRateMicroUsd,
    ulong AmountDue, ulong Funded, ulong Outstanding, ulong Overpaid, DateTimeOffset MatchedAt, DateTimeOffset PaymentDeadline,
    DateTimeOffset? ActivatedAt, DateTimeOffset? EndsAt, DateTimeOffset? EndedAt, PendingExtension? Extension,
    IReadOnlyList<PaidExtension> Extensions, IReadOnlyList<RentalPayment> Payments, IReadOnlyList<UnavailableSpan> Unavailable)
{
    public static RentalView Of(Rental r) => new(
        r.RentalId, r.BidId, r.Buyer, r.Status, r.EndReason, r.GpuCount, r.Hours, PaymentCurrency.Symbol(r.Currency),
        PaymentCurrency.Decimals(r.Currency), r.Devices, r.PerHourMicroUsd, r.TotalMicroUsd, r.IoRateMicroUsd, r.AmountDue,
        r.Funded, r.Outstanding, r.Overpaid, r.MatchedAt, r.PaymentDeadline, r.ActivatedAt, r.EndsAt, r.EndedAt, r.Extension, r.Extensions,
        r.Payments, r.Unavailable);
}

public sealed record RentalPage(IReadOnlyList<RentalView> Items, int Offset, int Limit, int? NextOffset);
