namespace IoNet.Marketplace.Chain;

public static class OutboxServices
{
    /// <summary>
    /// The transaction outbox (<see cref="TransactionOutbox"/>) and, unless Marketplace:Outbox:Enabled is false, its
    /// processor on this replica. Each capability that sends transactions registers its <see cref="IOutboxOperation"/>.
    /// </summary>
    public static IServiceCollection AddTransactionOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(OutboxSettings.Section).Get<OutboxSettings>() ?? new OutboxSettings());
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<TransactionOutbox>();
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<OutboxProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxProcessor>());
        return services;
    }
}
