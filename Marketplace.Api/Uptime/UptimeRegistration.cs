namespace IoNet.Marketplace.Uptime;

/// <summary>Uptime's part of the composition (MarketplaceHost calls it).</summary>
public static class UptimeRegistration
{
    public static IServiceCollection AddMarketplaceUptime(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(UptimeSettings.Section).Get<UptimeSettings>() ?? new UptimeSettings();
        settings.Validate();
        services.AddSingleton(settings);
        services.AddSingleton<IDeviceUptimeReader, MartenDeviceUptimeReader>();
        services.AddSingleton<UptimeSweep>().AddHostedService(sp => sp.GetRequiredService<UptimeSweep>());
        return services;
    }
}
