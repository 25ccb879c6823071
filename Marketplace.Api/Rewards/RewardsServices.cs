using IoNet.Marketplace.Chain;

namespace IoNet.Marketplace.Rewards;

public static class RewardsServices
{
    /// <summary>
    /// Marketplace:Rewards settings, the reward-block service (a hosted service on every replica; one works at a time),
    /// its outbox operations (PayReward, the root memo) and the default uptime source (call before any other
    /// <see cref="IRewardUptime"/> is registered to replace it: the last registration wins).
    /// </summary>
    public static IServiceCollection AddMarketplaceRewards(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RewardsSettings.Section).Get<RewardsSettings>() ?? new RewardsSettings();
        settings.Validate();
        services.AddSingleton(settings);
        services.AddSingleton<RewardsTreasury>();
        services.AddSingleton<IOutboxOperation, RewardPayment>();
        services.AddSingleton<IOutboxOperation, RewardRootCommitment>();
        services.AddSingleton<IRewardUptime, StoredDeviceUptime>();
        services.AddSingleton<IndexedStakes>();
        services.AddSingleton<RewardCandidates>();
        services.AddSingleton<RewardBlockService>().AddHostedService(sp => sp.GetRequiredService<RewardBlockService>());
        return services;
    }
}
