using IoNet.Ledger.Devices;
using IoNet.Suppliers.Uptime;
using Marten;

namespace IoNet.Marketplace.Uptime;

/// <summary>
/// Finds devices whose beats stopped and changes their status through the device's own events (DeviceStatusChanged,
/// By "uptime"), so that the order book, rentals and the explorer see it: Down after the missed beats, Inactive after
/// days. Every replica may sweep: the device stream's and the document's version checks let one change win.
/// </summary>
public sealed class UptimeSweep(IDocumentStore store, UptimeSettings settings, TimeProvider clock, ILogger<UptimeSweep> log) : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.SweepEnabled)
            return;
        using var timer = new PeriodicTimer(settings.SweepInterval ?? settings.HeartbeatInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be away for a while; the next tick tries again.
                log.LogWarning(e, "Uptime sweep failed");
            }
        }
    }

    /// <summary>One pass at <paramref name="now"/>; returns how many device statuses it changed.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = settings.Rules;
        var downBefore = now - rules.GapThreshold;
        var inactiveBefore = now - rules.InactiveAfter;
        var changed = 0;
        var seen = new HashSet<Guid>();
        while (true)
        {
            List<Guid> due;
            await using (var query = store.QuerySession())
            {
                due = [.. await query.Query<DeviceUptimeRecord>()
                    .Where(r => (r.Marked == UptimeStatus.Up && r.LastBeat < downBefore)
                        || (r.Marked != UptimeStatus.Inactive && r.LastBeat < inactiveBefore))
                    .OrderBy(r => r.LastBeat).Select(r => r.Device).Take(Batch).ToListAsync(cancellationToken)];
            }
            var fresh = due.Where(seen.Add).ToList();
            foreach (var device in fresh)
            {
                if (await MarkAsync(device, now, rules, cancellationToken))
                    changed++;
            }
            if (due.Count < Batch || fresh.Count == 0)
                return changed;
        }
    }

    private async Task<bool> MarkAsync(Guid id, DateTimeOffset now, UptimeRules rules, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<DeviceUptimeRecord>(DeviceUptimeRecord.Key(id), ct);
        if (record?.LastBeat is null)
            return false;
        var status = record.ToUptime().StatusAt(now, rules);
        if (status is not (UptimeStatus.Down or UptimeStatus.Inactive) || status == record.Marked)
            return false;
        var stream = await session.Events.FetchForWriting<Device>(Device.StreamKey(id), ct);
        if (stream.Aggregate is not { } device)
            return false;
        var change = UptimeDecisions.OnSilence(device, record, status, rules, now);
        if (change is not null)
        {
            stream.AppendOne(change);
            if (change.To == DeviceStatus.Down)
                record.DownFrom = change.From;
        }
        if (record.Marked == UptimeStatus.Up || status == UptimeStatus.Inactive)
            record.Marked = status;
        record.MarkedAt = now;
        session.Update(record);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (UptimeApi.IsConflict(e))
        {
            return false; // a beat (or another replica) got there first; the next pass decides again
        }
        if (change is not null)
            log.LogInformation("Device {Device} is {Status}: {Reason}", id, change.To, change.Reason);
        return change is not null;
    }
}
