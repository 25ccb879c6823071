using IoNet.Marketplace.Devices;
using IoNet.Marketplace.Http;

namespace IoNet.Marketplace.ProofOfWork;

/// <summary>The proof of work's part of the composition (MarketplaceHost calls these).</summary>
public static class ProofOfWorkRegistration
{
    /// <summary>Settings, and <see cref="ProofOfWorkEligibility"/> when Marketplace:ProofOfWork:DecidesEligibility is set (call before the default eligibility is added).</summary>
    public static IServiceCollection AddMarketplaceProofOfWork(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ProofOfWorkSettings.Section).Get<ProofOfWorkSettings>() ?? new ProofOfWorkSettings();
        if (settings.K < 1)
            throw new InvalidOperationException($"{ProofOfWorkSettings.Section}:K must be at least 1.");
        if (settings.HiredChallengeTick <= TimeSpan.Zero)
            throw new InvalidOperationException($"{ProofOfWorkSettings.Section}:HiredChallengeTick must be positive.");
        services.AddSingleton(settings);
        if (settings.DecidesEligibility)
            services.AddSingleton<IDeviceEligibility, ProofOfWorkEligibility>();
        services.AddSingleton<StakeSlashing>();
        services.AddSingleton<Chain.IOutboxOperation, SlashPayment>();
        services.AddSingleton<HiredChallenges>().AddHostedService(sp => sp.GetRequiredService<HiredChallenges>());
        return services;
    }

    /// <summary>
    /// The request body cap: <see cref="ProofOfWorkSettings.MaxOpeningBytes"/> for openings (k rows of n values), the
    /// service's cap for everything else.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app, long maxBytes)
    {
        var openings = app.ApplicationServices.GetRequiredService<ProofOfWorkSettings>().MaxOpeningBytes;
        app.UseWhen(IsOpening, b => b.UseMiddleware<RequestBodyLimit>(Math.Max(maxBytes, openings)));
        app.UseWhen(c => !IsOpening(c), b => b.UseMiddleware<RequestBodyLimit>(maxBytes));
        return app;
    }

    private static bool IsOpening(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ProofOfWorkApi.ChallengesPath, StringComparison.OrdinalIgnoreCase)
        && context.Request.Path.Value!.EndsWith(ProofOfWorkApi.OpeningPathSuffix, StringComparison.OrdinalIgnoreCase);
}
