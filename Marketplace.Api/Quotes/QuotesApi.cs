using System.ComponentModel.DataAnnotations;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Orders;
using IoNet.Marketplace.Pricing;
using IoNet.Programs.SolanaPay;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Quotes;

/// <summary>
/// What GPUs cost now (io.net's price API): the cheapest set the engine would hire for these terms, without placing
/// anything, with the fees and the total in micro-USD and in the currency's base units.
/// </summary>
public static class QuotesApi
{
    public static IEndpointRouteBuilder MapQuotes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/quotes", Quote).WithTags("Market").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The price of GPUs now: the cheapest fitting devices, fees and total in USD and in the currency");
        return app;
    }

    public sealed record QuoteQuery
    {
        public string? GpuModel { get; init; }

        public string? GpuClass { get; init; }

        [Range(1, MarketLimits.MaxGpusPerBid)]
        public int Gpus { get; init; } = 1;

        [Range(1, MarketLimits.MaxHours)]
        public int Hours { get; init; } = 1;

        /// <summary>ISO 3166-1 alpha-2 codes, comma separated; none: anywhere.</summary>
        public string? Country { get; init; }

        /// <summary>IO, IOSD or USDC (default USDC).</summary>
        public string? Currency { get; init; }

        public ConnectivityTier? MinConnectivity { get; init; }

        public SecurityTier? MinSecurity { get; init; }

        public bool? SingleSupplier { get; init; }
    }

    private static async Task<Results<Ok<QuoteView>, ValidationProblem, ProblemHttpResult>> Quote(
        [AsParameters] QuoteQuery q, OrderBookHost book, HardwareCatalogue catalogue, IUsdRateSource rates, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if ((q.GpuModel is null) == (q.GpuClass is null))
            errors["GpuModel"] = ["Name either a GPU model (gpuModel=H100) or a GPU class (gpuClass=datacenter)."];
        else if (q.GpuModel is not null && catalogue.Gpu(q.GpuModel) is null)
            errors["GpuModel"] = [$"'{q.GpuModel}' is not a GPU model of the catalogue (GET /api/hardware)."];
        else if (q.GpuClass is not null && !catalogue.IsGpuClass(q.GpuClass))
            errors["GpuClass"] = [$"'{q.GpuClass}' is not a GPU class of the catalogue (GET /api/hardware)."];
        var countries = (q.Country ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToUpperInvariant()).ToList();
        if (countries.Count > MarketLimits.MaxAllowedCountries || countries.Any(c => c.Length != 2 || !c.All(char.IsAsciiLetterUpper)))
            errors["Country"] = ["country is a comma-separated list of ISO 3166-1 alpha-2 codes (DE,FR)."];
        PaymentCurrencies? currency = PaymentCurrencies.Usdc;
        if (q.Currency is not null && !PaymentCurrency.TryParse(q.Currency, out currency))
            errors["Currency"] = ["currency is IO, IOSD or USDC."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var model = q.GpuModel is null ? null : catalogue.Gpu(q.GpuModel)!.Id;
        var found = await book.QueryAsync((engine, now) => engine.Quote(model, q.GpuClass, q.Gpus, q.Hours, countries,
            q.MinConnectivity ?? ConnectivityTier.Low, q.MinSecurity ?? SecurityTier.Standard, q.SingleSupplier ?? false,
            currency!.Value, now), ct);
        if (found is null)
            return ApiProblems.NotFound($"No set of {model ?? q.GpuClass} devices offers {q.Gpus} GPUs for {q.Hours} h on these terms now.");
        var rate = currency == PaymentCurrencies.Io ? await rates.MicroUsdPerIoAsync(ct) : (ulong?)null;
        var price = RentalPrice.Of(found.TotalPerHour, q.Hours, currency!.Value, rate);
        return TypedResults.Ok(QuoteView.Of(model, q.GpuClass, q.Gpus, found, price));
    }
}

/// <summary>One device of a quote and its supplier's price per GPU-hour (micro-USD).</summary>
public sealed record QuoteDevice(Guid DeviceId, string GpuModel, int GpuCount, ulong PricePerGpuHour);

/// <summary>
/// A quote: the devices, the price per hour (Σ price × GPUs) and its mean per GPU, the subtotal (× hours), the buyer's
/// fee and the total, in micro-USD; the same in base units of the currency (and as text in whole units).
/// </summary>
public sealed record QuoteView(
    string? GpuModel, string? GpuClass, int Gpus, int Hours, string Currency, IReadOnlyList<QuoteDevice> Devices,
    ulong PerHourMicroUsd, ulong PerGpuHourMicroUsd, ulong SubtotalMicroUsd, ulong BuyerFeeMicroUsd, ulong TotalMicroUsd,
    ulong BuyerFeeBps, ulong? IoRateMicroUsd, byte Decimals, ulong Subtotal, ulong BuyerFee, ulong Total, string TotalText)
{
    public static QuoteView Of(string? model, string? gpuClass, int gpus, QuoteResult found, RentalPrice price) => new(
        model, gpuClass, gpus, price.Hours, PaymentCurrency.Symbol(price.Currency),
        found.Devices.Select(d => new QuoteDevice(d.DeviceId, d.GpuModel, d.GpuCount, d.PricePerGpuHour)).ToList(),
        price.PerHourMicroUsd, price.PerHourMicroUsd / (ulong)gpus, price.SubtotalMicroUsd, price.BuyerFeeMicroUsd,
        price.TotalMicroUsd, Fees.BuyerBps(price.Currency), price.IoRateMicroUsd, price.Decimals, price.Subtotal, price.BuyerFee,
        price.Total, TokenAmount.Format(price.Total, price.Decimals));
}
