using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Pricing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IoNet.Marketplace.Credits;

public static class CreditsServices
{
    /// <summary>
    /// The credits desk's settings, store, rate source (the configured fixed rate unless a deployment registers another
    /// <see cref="IUsdRateSource"/> first) and its outbox operation. The desk itself is a Marten subscription
    /// (<see cref="CreditsDesk"/>), registered with the store in MarketplaceHost.
    /// </summary>
    public static IServiceCollection AddMarketplaceCredits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(CreditsSettings.Section).Get<CreditsSettings>() ?? new CreditsSettings();
        if (settings.QuoteLifetime <= TimeSpan.Zero)
            throw new InvalidOperationException($"{CreditsSettings.Section}:QuoteLifetime must be positive.");
        services.AddSingleton(settings);
        services.AddSingleton(configuration.GetSection(RateSettings.Section).Get<RateSettings>() ?? new RateSettings());
        services.TryAddSingleton<IUsdRateSource, ConfiguredUsdRate>();
        services.AddSingleton<CreditsStore>();
        services.AddSingleton<CreditsMetrics>();
        services.AddSingleton<IOutboxOperation, CreditsMint>();
        return services;
    }
}
