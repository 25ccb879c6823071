using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace IoNet.TestSupport;

/// <summary>
/// The rate limit of a provider: with <see cref="LimitRequestsPerSecond"/> set, the proxy admits HTTP requests (a batch
/// counts once) from a token bucket holding one second's worth, refilled continuously, and answers the others HTTP 429
/// with Retry-After 1, forwarding nothing, as a rate-limited RPC provider does. It counts what it admitted and refused.
/// </summary>
public sealed partial class FaultProxy
{
    private readonly object _bucketGate = new();
    private double? _limit;
    private double _tokens;
    private long _refilledAt;
    private long _firstLimited;
    private long _lastAdmitted;
    private long _admitted;
    private long _refused;

    /// <summary>Admits at most <paramref name="requestsPerSecond"/> requests per second from now on (the bucket starts full); counters restart.</summary>
    public void LimitRequestsPerSecond(double requestsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        lock (_bucketGate)
        {
            _limit = requestsPerSecond;
            _tokens = requestsPerSecond;
            _refilledAt = Stopwatch.GetTimestamp();
            _firstLimited = _lastAdmitted = 0;
            _admitted = _refused = 0;
        }
    }

    /// <summary>No rate limit any more (counters are kept).</summary>
    public void RemoveRequestsPerSecondLimit()
    {
        lock (_bucketGate)
            _limit = null;
    }

    /// <summary>Requests admitted under the rate limit.</summary>
    public long AdmittedRequests
    {
        get
        {
            lock (_bucketGate)
                return _admitted;
        }
    }

    /// <summary>Requests refused with 429 by the rate limit.</summary>
    public long RateLimitedRequests
    {
        get
        {
            lock (_bucketGate)
                return _refused;
        }
    }

    /// <summary>
    /// How many requests the limit could have admitted from the first request it saw to the last one it admitted: the
    /// full bucket plus the rate times that span. <see cref="AdmittedRequests"/> over it is how much of the budget a
    /// client used.
    /// </summary>
    public double RateLimitBudget
    {
        get
        {
            lock (_bucketGate)
            {
                if (_limit is not { } limit || _firstLimited == 0)
                    return 0;
                return limit + limit * Stopwatch.GetElapsedTime(_firstLimited, _lastAdmitted).TotalSeconds;
            }
        }
    }

    /// <summary>True when the request may go on; otherwise the 429 has been written.</summary>
    private async Task<bool> AdmitAsync(HttpContext context)
    {
        bool admitted;
        lock (_bucketGate)
        {
            if (_limit is not { } limit)
                return true;
            var now = Stopwatch.GetTimestamp();
            if (_firstLimited == 0)
                _firstLimited = now;
            _tokens = Math.Min(limit, _tokens + limit * Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds);
            _refilledAt = now;
            admitted = _tokens >= 1;
            if (admitted)
            {
                _tokens -= 1;
                _admitted++;
                _lastAdmitted = now;
            }
            else
            {
                _refused++;
            }
        }
        if (admitted)
            return true;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "1";
        await WriteJsonAsync(context, """{"jsonrpc":"2.0","error":{"code":429,"message":"Too many requests for a specific RPC call"},"id":null}""").ConfigureAwait(false);
        return false;
    }
}
