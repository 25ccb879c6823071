using IoNet.Marketplace.Chain;

namespace IoNet.Marketplace.Settlement;

public static class SettlementServices
{
    /// <summary>
    /// Settlement's writer and its outbox operation. The reaction itself is a Marten subscription
    /// (<see cref="SettlementFeed"/>), registered with the store in MarketplaceHost.
    /// </summary>
    public static IServiceCollection AddMarketplaceSettlement(this IServiceCollection services)
    {
        services.AddSingleton<RentalSettlements>();
        services.AddSingleton<IOutboxOperation, SettlementPayment>();
        return services;
    }
}
