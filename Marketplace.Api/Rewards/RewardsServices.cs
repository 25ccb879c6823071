using IoNet.Marketplace.Chain;

namespace IoNet.Marketplace.Rewards;

public static class RewardsServices
{
    /// <summary>
    /// Marketplace:Rewards settings, the reward-block service (a hosted service on every replica; one works at a time),
    /// its outbox operations (PayReward, the root memo) and its uptime source, the heartbeats' buckets (a deployment may
    /// register another <see cref="IRewardUptime"/> after this: the last registration wins).
    /// </summary>
    public static IServiceCollection AddMarketplaceRewards(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RewardsSettings.Section).Get<RewardsSettings>() ?? new RewardsSettings();
        settings.Validate();
        services.AddSingleton(settings);
        services.AddSingleton<RewardsTreasury>();
        services.AddSingleton<IOutboxOperation, RewardPayment>();
        services.AddSingleton<IOutboxOperation, RewardRootCommitment>();
        services.AddSingleton<IRewardUptime, HeartbeatUptime>();
        services.AddSingleton<IndexedStakes>();
        services.AddSingleton<RewardCandidates>();
        services.AddSingleton<RewardBlockService>().AddHostedService(sp => sp.GetRequiredService<RewardBlockService>());
        return services;
    }
}
