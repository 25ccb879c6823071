using IoNet.Solana.Keys;

namespace IoNet.Suppliers.Uptime;

/// <summary>What became of a heartbeat.</summary>
public enum HeartbeatResult
{
    Accepted,
    BadSignature,

    /// <summary>Not later than the last accepted beat (a replay, or out of order).</summary>
    Stale,

    /// <summary>Its time is further from the server's clock than the allowed skew.</summary>
    ClockSkew,
}

/// <summary>Derived from the last beat: Up, Down after the gap threshold, Inactive after days of silence, Unknown before any beat.</summary>
public enum UptimeStatus
{
    Unknown,
    Up,
    Down,
    Inactive,
}

/// <summary>A heartbeat gap: no beat between <see cref="From"/> and <see cref="To"/>.</summary>
public sealed record HeartbeatGap(DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Length => To - From;
}

/// <summary>
/// One device's uptime as per-hour buckets, not an event per beat (docs/rewards.md, "Uptime"). Each accepted beat at t
/// makes green the time since the previous beat, but at most one interval: (t − min(t − previous, interval), t]. So
/// beats every interval make every second green, and a gap is green only for the interval before the beat that ends
/// it. The green milliseconds are added to the UTC hours they fall in. Pure state: the caller passes every time in.
/// </summary>
public sealed class DeviceUptime
{
    private readonly SortedDictionary<long, int> _greenMsByHour = [];
    private readonly List<HeartbeatGap> _gaps = [];

    public const int MillisecondsPerHour = 3_600_000;

    public DeviceUptime(Guid device) => Device = device;

    public Guid Device { get; }

    public DateTimeOffset? LastBeat { get; private set; }

    public long Beats { get; private set; }

    /// <summary>Green milliseconds by hour (hours since the Unix epoch, UTC), within the retention.</summary>
    public IReadOnlyDictionary<long, int> GreenMillisecondsByHour => _greenMsByHour;

    public IReadOnlyList<HeartbeatGap> Gaps => _gaps;

    /// <summary>The state as a store kept it (the buckets, gaps and last beat <see cref="Record"/> built), for a store's document.</summary>
    public static DeviceUptime Restore(
        Guid device, DateTimeOffset? lastBeat, long beats, IEnumerable<KeyValuePair<long, int>> greenMillisecondsByHour, IEnumerable<HeartbeatGap> gaps)
    {
        var uptime = new DeviceUptime(device) { LastBeat = lastBeat, Beats = beats };
        foreach (var (hour, ms) in greenMillisecondsByHour)
            uptime._greenMsByHour[hour] = Math.Clamp(ms, 0, MillisecondsPerHour);
        uptime._gaps.AddRange(gaps.OrderBy(g => g.From));
        return uptime;
    }

    public HeartbeatResult Record(Heartbeat beat, PublicKey deviceKey, DateTimeOffset receivedAt, UptimeRules rules)
    {
        if (beat.Device != Device || !beat.IsSignedBy(deviceKey))
            return HeartbeatResult.BadSignature;
        if ((beat.At - receivedAt).Duration() > rules.MaxClockSkew)
            return HeartbeatResult.ClockSkew;
        if (LastBeat is { } last && beat.At <= last)
            return HeartbeatResult.Stale;

        if (LastBeat is { } previous)
        {
            var since = beat.At - previous;
            if (since > rules.GapThreshold)
                _gaps.Add(new HeartbeatGap(previous, beat.At));
            AddGreen(beat.At - (since < rules.HeartbeatInterval ? since : rules.HeartbeatInterval), beat.At);
        }
        LastBeat = beat.At;
        Beats++;
        Prune(beat.At - rules.Retention);
        return HeartbeatResult.Accepted;
    }

    public UptimeStatus StatusAt(DateTimeOffset now, UptimeRules rules) =>
        LastBeat is not { } last ? UptimeStatus.Unknown
        : now - last > rules.InactiveAfter ? UptimeStatus.Inactive
        : now - last > rules.GapThreshold ? UptimeStatus.Down
        : UptimeStatus.Up;

    /// <summary>Green time in the whole hours of [<paramref name="windowEnd"/> − <paramref name="window"/>, <paramref name="windowEnd"/>) (both on hour boundaries).</summary>
    public TimeSpan GreenUptime(DateTimeOffset windowEnd, TimeSpan window)
    {
        var end = HourOf(windowEnd);
        if (HourStart(end) != windowEnd || window.Ticks % TimeSpan.TicksPerHour != 0 || window <= TimeSpan.Zero)
            throw new ArgumentException("Uptime windows are whole hours ending on an hour boundary.", nameof(windowEnd));
        var start = end - (long)window.TotalHours;
        var ms = 0L;
        foreach (var (hour, green) in _greenMsByHour)
        {
            if (hour >= start && hour < end)
                ms += green;
        }
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>Gaps that overlap [<paramref name="from"/>, <paramref name="to"/>), plus the open one when the device is silent past the threshold at <paramref name="to"/>.</summary>
    public IReadOnlyList<HeartbeatGap> GapsBetween(DateTimeOffset from, DateTimeOffset to, UptimeRules rules)
    {
        var gaps = _gaps.Where(g => g.To > from && g.From < to).ToList();
        if (LastBeat is { } last && to - last > rules.GapThreshold)
            gaps.Add(new HeartbeatGap(last, to));
        return gaps;
    }

    private void AddGreen(DateTimeOffset from, DateTimeOffset to)
    {
        // Beats carry whole milliseconds, so every piece is a whole number of them.
        while (from < to)
        {
            var hour = HourOf(from);
            var pieceEnd = HourStart(hour + 1) < to ? HourStart(hour + 1) : to;
            var ms = (int)(pieceEnd - from).TotalMilliseconds;
            _greenMsByHour[hour] = Math.Min(MillisecondsPerHour, _greenMsByHour.GetValueOrDefault(hour) + ms);
            from = pieceEnd;
        }
    }

    private void Prune(DateTimeOffset before)
    {
        var oldest = HourOf(before);
        foreach (var hour in _greenMsByHour.Keys.TakeWhile(h => h < oldest).ToList())
            _greenMsByHour.Remove(hour);
        _gaps.RemoveAll(g => g.To < before);
    }

    public static long HourOf(DateTimeOffset t) => (long)Math.Floor(t.ToUnixTimeSeconds() / 3600.0);

    public static DateTimeOffset HourStart(long hour) => DateTimeOffset.FromUnixTimeSeconds(hour * 3600);
}
