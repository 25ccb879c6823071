using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace IoNet.Marketplace.Http;

/// <summary>Token buckets (Marketplace:RateLimits): one per signed-in wallet, one per IP for everyone else, and a stricter one per IP for sign-in.</summary>
public sealed class RateLimitSettings
{
    public const string Section = "Marketplace:RateLimits";

    public bool Enabled { get; set; } = true;
    public Bucket PerWallet { get; set; } = new() { Burst = 120, PerMinute = 600 };
    public Bucket PerIp { get; set; } = new() { Burst = 60, PerMinute = 300 };

    /// <summary>Nonces and verifications, per IP, on top of <see cref="PerIp"/>.</summary>
    public Bucket SignIn { get; set; } = new() { Burst = 20, PerMinute = 60 };

    public sealed class Bucket
    {
        /// <summary>Requests that may come at once.</summary>
        public int Burst { get; set; }

        /// <summary>Sustained requests per minute, added back evenly; 0: the burst only, never refilled (for tests).</summary>
        public int PerMinute { get; set; }

        internal TokenBucketRateLimiterOptions Options() => new()
        {
            TokenLimit = Math.Max(1, Burst),
            // At 60 a minute and more, a refill each second; below, one token at a time.
            TokensPerPeriod = PerMinute >= 60 ? (int)Math.Ceiling(PerMinute / 60.0) : 1,
            ReplenishmentPeriod = PerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1) / Math.Max(1, PerMinute),
            QueueLimit = 0,
            AutoReplenishment = PerMinute > 0,
        };
    }
}

public static class RateLimits
{
    /// <summary>The policy the sign-in endpoints add to the global limiter.</summary>
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddMarketplaceRateLimits(this IServiceCollection services, RateLimitSettings settings)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = WriteProblemAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!settings.Enabled)
                    return RateLimitPartition.GetNoLimiter("off");
                return context.User.Wallet() is { } wallet
                    ? RateLimitPartition.GetTokenBucketLimiter("wallet:" + wallet, _ => settings.PerWallet.Options())
                    : RateLimitPartition.GetTokenBucketLimiter("ip:" + ClientIp(context), _ => settings.PerIp.Options());
            });
            o.AddPolicy(SignInPolicy, context => settings.Enabled
                ? RateLimitPartition.GetTokenBucketLimiter("sign-in:" + ClientIp(context), _ => settings.SignIn.Options())
                : RateLimitPartition.GetNoLimiter("off"));
        });
        return services;
    }

    // Behind a reverse proxy, configure ForwardedHeaders so that this is the client's address, not the proxy's.
    private static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask WriteProblemAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests",
                Detail = $"Rate limit reached ({(context.User.Wallet() is null ? "per IP address" : "per wallet")}); retry after {retryAfter} s.",
            },
        });
    }
}
