using System.Globalization;
using IoNet.Ledger.Devices;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.Orders;
using IoNet.Marketplace.ProofOfWork;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Uptime;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Uptime;

/// <summary>
/// Heartbeats over HTTP: the device (no sign-in: the key registered for its proofs of work signs each beat) posts
/// "still here"; each accepted beat rewrites the device's one uptime document. GET shows its status, hours and gaps.
/// </summary>
public static class UptimeApi
{
    public static readonly TimeSpan ShownWindow = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapUptime(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").WithTags("Uptime").AllowAnonymous();
        group.MapPost("/{id}/heartbeats", Beat)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("A heartbeat signed by the device key: 202, 403 bad signature, 409 stale or replayed, 422 clock skew");
        group.MapGet("/{id}/uptime", Get)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Uptime status, last beat, green time per hour over the last 30 days and heartbeat gaps");
        return app;
    }

    public sealed record Services(IDocumentStore Store, UptimeSettings Settings, OrderBookHost Book, TimeProvider Clock);

    private static async Task<Results<Accepted<HeartbeatAccepted>, ProblemHttpResult, ValidationProblem>> Beat(
        Guid id, HeartbeatRequest request, [AsParameters] Services s, CancellationToken ct)
    {
        if (!Signature.TryParse(request.Signature, out var signature))
            return ApiProblems.Invalid("Signature", "The Signature field must be a base58 ed25519 signature.");
        if (request.At!.Value > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            return ApiProblems.Invalid("At", "The At field is not a time (Unix milliseconds).");
        var beat = new Heartbeat(id, DateTimeOffset.FromUnixTimeMilliseconds(request.At.Value), signature);
        var rules = s.Settings.Rules;
        // A beat racing the sweep (or another beat) on the same document loses its version check: decide again.
        for (var attempt = 0; ; attempt++)
        {
            var now = s.Clock.GetUtcNow();
            await using var session = s.Store.LightweightSession();
            var key = DeviceUptimeRecord.Key(id);
            var standing = await session.LoadAsync<DeviceProofOfWork>(key, ct);
            if (standing?.DeviceKey is not { } deviceKey)
            {
                return await session.LoadAsync<Device>(Device.StreamKey(id), ct) is null
                    ? ApiProblems.NotFound($"No device {id} is registered.")
                    : ApiProblems.Forbidden($"Device {id} has no key yet: its owner sets it with PUT /api/proof-of-work/devices/{id}/key.");
            }
            var record = await session.LoadAsync<DeviceUptimeRecord>(key, ct);
            var uptime = record?.ToUptime() ?? new DeviceUptime(id);
            switch (uptime.Record(beat, PublicKey.Parse(deviceKey), now, rules))
            {
                case HeartbeatResult.BadSignature:
                    return ApiProblems.Forbidden($"The signature is not device {id:N}'s key's signature of this heartbeat.");
                case HeartbeatResult.Stale:
                    return ApiProblems.Conflict($"A beat at {beat.At:O} is not later than the last accepted one ({uptime.LastBeat:O}): stale or replayed.");
                case HeartbeatResult.ClockSkew:
                    return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Clock skew",
                        $"The beat's time {beat.At:O} is more than {rules.MaxClockSkew.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s from the server's {now:O}.");
            }

            var isNew = record is null;
            record ??= DeviceUptimeRecord.New(id);
            record.Keep(uptime);
            var status = DeviceStatus.Idle;
            if (record.Marked != UptimeStatus.Up)
            {
                var stream = await session.Events.FetchForWriting<Device>(Device.StreamKey(id), ct);
                var device = stream.Aggregate!;
                status = device.Status;
                var hired = record.DownFrom == DeviceStatus.Hired
                    && (await s.Book.QueryAsync((engine, _) => engine.FindAskOfDevice(id), ct))?.RentalId is not null;
                if (UptimeDecisions.OnBeat(device, record, hired, now) is { } back)
                {
                    stream.AppendOne(back);
                    status = back.To;
                }
                record.Marked = UptimeStatus.Up;
                record.DownFrom = null;
                record.MarkedAt = now;
            }
            else
            {
                status = (await session.LoadAsync<Device>(Device.StreamKey(id), ct))?.Status ?? DeviceStatus.Idle;
            }
            if (isNew)
                session.Insert(record);
            else
                session.Update(record);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (IsConflict(e) && attempt < 3)
            {
                continue;
            }
            return TypedResults.Accepted((string?)null,
                new HeartbeatAccepted(id, beat.At, uptime.Beats, status, rules.HeartbeatInterval.TotalSeconds));
        }
    }

    private static async Task<Results<Ok<UptimeView>, ProblemHttpResult>> Get(Guid id, [AsParameters] Services s, CancellationToken ct)
    {
        await using var session = s.Store.QuerySession();
        var device = await session.LoadAsync<Device>(Device.StreamKey(id), ct);
        if (device is null)
            return ApiProblems.NotFound($"No device {id} is registered.");
        var record = await session.LoadAsync<DeviceUptimeRecord>(DeviceUptimeRecord.Key(id), ct);
        return TypedResults.Ok(ViewOf(device, record?.ToUptime() ?? new DeviceUptime(id), s.Settings.Rules, s.Clock.GetUtcNow()));
    }

    public static UptimeView ViewOf(Device device, DeviceUptime uptime, UptimeRules rules, DateTimeOffset now)
    {
        var from = now - ShownWindow;
        var firstHour = DeviceUptime.HourOf(from);
        var dayAgo = DeviceUptime.HourOf(now - TimeSpan.FromHours(24));
        var hours = uptime.GreenMillisecondsByHour.Where(h => h.Key >= firstHour)
            .Select(h => new UptimeHourView(DeviceUptime.HourStart(h.Key), h.Value)).ToList();
        var green24 = uptime.GreenMillisecondsByHour.Where(h => h.Key > dayAgo).Sum(h => (long)h.Value) / 1000;
        var gaps = uptime.GapsBetween(from, now, rules)
            .Select(g => new HeartbeatGapView(g.From, g.To, g.Length.TotalSeconds, g.To == now && uptime.LastBeat == g.From)).ToList();
        var anomalies = gaps.Select(g => g.Open
            ? $"silent since {g.From:u} ({Minutes(g.Seconds)})"
            : $"heartbeat gap from {g.From:u} to {g.To:u} ({Minutes(g.Seconds)})").ToList();
        return new UptimeView(device.DeviceId, uptime.StatusAt(now, rules), device.Status, uptime.LastBeat, uptime.Beats,
            rules.HeartbeatInterval.TotalSeconds, green24, hours, gaps, anomalies);
    }

    private static string Minutes(double seconds) =>
        seconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s") : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min");

    internal static bool IsConflict(Exception e) =>
        e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException or JasperFx.DocumentAlreadyExistsException
        || (e is AggregateException a && a.InnerExceptions.All(IsConflict));
}
