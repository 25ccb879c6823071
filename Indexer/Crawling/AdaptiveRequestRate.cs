using System.Threading.RateLimiting;

namespace IoNet.Indexer.Crawling;

/// <summary>
/// The indexer's client-side rate limit, which finds the provider's own: requests are spaced evenly at the current rate,
/// which starts at the configured most (Indexer:RequestsPerSecond). When the provider answers 429 (<see cref="RateLimited"/>),
/// new requests (those waiting for their turn too) pause for its Retry-After and the rate drops by 10% — at most once a
/// second, since the requests in flight are refused together; on the first 429, or several in a second, to what the
/// provider accepted per second since the last pause when that is lower, though never below half. Every second of
/// sending without a 429 it grows by 1%, back up to the most: slow up, fast down, so that a 429 comes every ten seconds
/// or so while the bucket of a token-bucket provider is drained, and the pause refills it. Against a provider that allows N requests per
/// second it settles just around N: the budget is used, and a 429 comes now and then instead of in storms.
/// <para>
/// Slots that passed unused are made up for, up to <see cref="CatchUp"/> of them: a request that comes (or wakes) late —
/// a late timer on a busy machine, a crawler that was busy appending — takes the slot it missed, so that the next ones
/// go at once until the pacing is back on time. Without it every late wake-up was lost for good (a busy machine used 84%
/// of a provider's limit); with it at most half a second of requests goes at once, which a provider's one-second bucket
/// refilled in the meantime.
/// </para>
/// </summary>
public sealed class AdaptiveRequestRate : RateLimiter
{
    private const double Decrease = 0.9;
    private const double IncreasePerSecond = 0.01;

    /// <summary>How far behind its even spacing the pacing may fall and still make the missed slots up.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromMilliseconds(500);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly double _most;
    private readonly double _least;
    private readonly Queue<long> _sent = new(); // timestamps of the requests let through in the last second
    private double _rate;
    private long _next;
    private long _pausedUntil;
    private long _lastDecrease;
    private long _lastIncrease;
    private readonly Queue<long> _refusals = new(); // timestamps of the 429s in the last second
    private long _acquired;
    private long _rateLimited;

    public AdaptiveRequestRate(double requestsPerSecond, TimeProvider? time = null)
    {
        if (requestsPerSecond <= 0 || double.IsNaN(requestsPerSecond))
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "Requests per second must be positive.");
        _time = time ?? TimeProvider.System;
        _most = requestsPerSecond;
        _least = Math.Min(requestsPerSecond, 1);
        _rate = requestsPerSecond;
        _lastIncrease = _next = _time.GetTimestamp();
    }

    /// <summary>The rate requests are spaced at now.</summary>
    public double CurrentRate
    {
        get
        {
            lock (_gate)
                return _rate;
        }
    }

    /// <summary>429 answers reported.</summary>
    public long RateLimitedCount => Interlocked.Read(ref _rateLimited);

    /// <summary>For <see cref="Solana.Rpc.SolanaRpcClientOptions.OnRetry"/>: a failure that is a 429 slows the rate down.</summary>
    public void Observe(Solana.Rpc.RpcException failure)
    {
        if (failure is Solana.Rpc.RpcHttpException { StatusCode: 429 } refused)
            RateLimited(refused.RetryAfter);
    }

    /// <summary>The provider refused a request (HTTP 429), asking to wait <paramref name="retryAfter"/> (1 s when it did not say).</summary>
    public void RateLimited(TimeSpan? retryAfter)
    {
        Interlocked.Increment(ref _rateLimited);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var pauseBefore = _pausedUntil;
            _pausedUntil = Math.Max(_pausedUntil, now + Ticks(retryAfter ?? TimeSpan.FromSeconds(1)));
            _refusals.Enqueue(now);
            Forget(now);
            if (_lastDecrease != 0 && Seconds(_lastDecrease, now) < 1)
                return;
            // On the first 429, or several in the last second (far above the provider's limit), fall to what the provider
            // accepted per second since the last pause (at most the last second) when that is lower, though never below half.
            var target = _rate * Decrease;
            var from = Math.Max(now - Ticks(TimeSpan.FromSeconds(1)), Math.Min(pauseBefore, now));
            var span = Seconds(from, now);
            if ((_lastDecrease == 0 || _refusals.Count >= 3) && span >= 0.25)
            {
                var accepted = (_sent.Count(t => t > from && t <= now) - _refusals.Count(t => t > from)) / span;
                target = Math.Min(target, Math.Max(accepted, _rate / 2));
            }
            _rate = Math.Max(_least, target);
            _lastDecrease = now;
            _lastIncrease = now;
        }
    }

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = 0,
        CurrentQueuedCount = 0,
        TotalSuccessfulLeases = Interlocked.Read(ref _acquired),
        TotalFailedLeases = 0,
    };

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var at = Math.Max(_next, _pausedUntil);
            if (at > now)
                return Lease.Refused;
            Take(Missed(at, now));
            return Lease.Granted;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        while (true)
        {
            long at;
            long now;
            lock (_gate)
            {
                now = _time.GetTimestamp();
                at = Math.Max(_next, _pausedUntil);
                if (at <= now)
                {
                    Take(Missed(at, now));
                    return Lease.Granted;
                }
                // Booked for later: a 429 while it waits may pause everyone, so it looks again when its time comes.
                Take(at);
            }
            await Task.Delay(_time.GetElapsedTime(now, at), _time, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_pausedUntil <= at)
                    return Lease.Granted;
            }
        }
    }

    /// <summary>The slot a request that comes at <paramref name="now"/> takes when its turn was at <paramref name="at"/>: the missed one, if not too long ago.</summary>
    private long Missed(long at, long now) => Math.Max(at, now - Ticks(CatchUp));

    /// <summary>Books the slot at <paramref name="at"/> and moves the next one by the current rate; grows the rate after a quiet second.</summary>
    private void Take(long at)
    {
        Interlocked.Increment(ref _acquired);
        // Quiet: sending, with no 429 and no pause, for whole seconds.
        var quiet = Seconds(Math.Max(_lastIncrease, _pausedUntil), at);
        if (quiet >= 1 && _rate < _most)
        {
            _rate = Math.Min(_most, _rate * Math.Pow(1 + IncreasePerSecond, Math.Floor(quiet)));
            _lastIncrease = at;
        }
        _next = at + Ticks(TimeSpan.FromSeconds(1 / _rate));
        _sent.Enqueue(at);
        Forget(at);
    }

    private void Forget(long now)
    {
        while (_sent.Count > 0 && Seconds(_sent.Peek(), now) > 1)
            _sent.Dequeue();
        while (_refusals.Count > 0 && Seconds(_refusals.Peek(), now) > 1)
            _refusals.Dequeue();
    }

    private double Seconds(long from, long to) => _time.GetElapsedTime(from, to).TotalSeconds;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
