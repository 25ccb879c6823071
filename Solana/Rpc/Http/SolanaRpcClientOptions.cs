using System.Threading.RateLimiting;

namespace IoNet.Solana.Rpc;

/// <summary>Timeouts, retries and the client-side rate limit of a <see cref="SolanaRpcClient"/>.</summary>
public sealed record SolanaRpcClientOptions
{
    /// <summary>Per attempt; a retry gets a fresh timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of transient failures (429, 5xx, timeouts, resets, -32005, -32016); 0 disables retrying.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; it grows exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest response body read from the node; a longer one fails the call (<see cref="RpcErrorKind.ResponseTooLarge"/>,
    /// not retried) instead of being buffered. 64 MiB by default: a mainnet getBlock with full transactions and metadata
    /// is a few MiB and the worst ones tens of MiB, while a hostile or broken node could otherwise stream until memory
    /// runs out. Raise it for getProgramAccounts-sized answers.
    /// </summary>
    public long MaxResponseBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>A Retry-After longer than this is cut to it.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Called before each retry with the failure and the attempt number (0 for the first retry): for metrics and logs.</summary>
    public Action<RpcException, int>? OnRetry { get; init; }

    /// <summary>
    /// Shared limiter for every request of this client (each attempt takes one permit). Pass the same limiter to
    /// several clients to share one budget; see <see cref="RpcRateLimit.PerSecond"/>. Null: no client-side limit.
    /// </summary>
    public RateLimiter? RateLimiter { get; init; }
}

/// <summary>Rate limiters for RPC clients.</summary>
public static class RpcRateLimit
{
    /// <summary>A token bucket allowing <paramref name="requestsPerSecond"/> on average and bursts of <paramref name="burst"/>.</summary>
    public static RateLimiter PerSecond(double requestsPerSecond, int burst = 1)
    {
        if (requestsPerSecond <= 0 || double.IsNaN(requestsPerSecond))
            throw new SolanaException($"Requests per second must be positive, not {requestsPerSecond}.");
        // The limiter's timer cannot tick faster than a few milliseconds (a period that rounds to 0 never ticks again),
        // so high rates refill several tokens per tick of at least 50 ms.
        var period = Math.Max(1 / requestsPerSecond, 0.05);
        var perPeriod = (int)Math.Min(int.MaxValue, Math.Max(1, Math.Round(requestsPerSecond * period)));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(Math.Max(1, burst), perPeriod),
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(period),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
