namespace IoNet.Marketplace.Claims;

public static class ClaimsServices
{
    /// <summary>
    /// Accrued earnings and claims: the store and the desk that answers claim requests. The confirmation is a Marten
    /// subscription (<see cref="ClaimsFeed"/>), registered with the store in MarketplaceHost.
    /// </summary>
    public static IServiceCollection AddMarketplaceClaims(this IServiceCollection services)
    {
        services.AddSingleton<ClaimsStore>();
        services.AddSingleton<ClaimDesk>();
        return services;
    }
}
