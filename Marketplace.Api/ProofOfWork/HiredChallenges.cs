using IoNet.Ledger.Devices;
using IoNet.Marketplace.Devices;
using IoNet.Suppliers.ProofOfWork;
using Marten;

namespace IoNet.Marketplace.ProofOfWork;

/// <summary>
/// Challenges while hired (issue 10): every <see cref="ProofOfWorkSettings.HiredChallengeTick"/> each hired device with a
/// key and no open challenge gets one at random (exponential gaps of mean <see cref="ProofOfWorkSettings.HiredChallengeMeanInterval"/>);
/// a challenge sent while hired that passes its deadline unanswered fails as a Timeout; and a device that failed one
/// becomes Failed, at the moment its challenge failed — the market's reaction then ends its rental (DeviceFailed), and
/// settlement pays every device only up to that end — and its stake is slashed (StakeSlashing, through the outbox, in
/// the same commit). State is in the challenge documents, so a restart resumes.
/// </summary>
public sealed class HiredChallenges(
    IDocumentStore store, HardwareCatalogue catalogue, ProofOfWorkSettings settings, StakeSlashing slashing, Chain.TransactionOutbox outbox, TimeProvider clock,
    ILogger<HiredChallenges> log) : BackgroundService
{
    /// <summary>Who the device events name as having changed the status.</summary>
    public const string Actor = "proof-of-work";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.HiredChallengeMeanInterval is null)
            return;
        using var timer = new PeriodicTimer(settings.HiredChallengeTick);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Hired challenges: a pass failed, retried on the next ({Error})", e.Message);
            }
        }
    }

    /// <summary>
    /// One pass: time out the unanswered, make the failed devices Failed, then challenge the devices still hired. Returns
    /// the challenges sent.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await TimeOutAsync(cancellationToken);
        await FailDevicesAsync(cancellationToken);
        return settings.HiredChallengeMeanInterval is { } mean ? await SendAsync(mean, cancellationToken) : 0;
    }

    /// <summary>The chance that a device is challenged in one tick: 1 - e^(-tick / mean) (a Poisson process of that mean).</summary>
    public static double ChancePerTick(TimeSpan tick, TimeSpan mean) =>
        mean <= TimeSpan.Zero ? 1 : 1 - Math.Exp(-tick.TotalSeconds / mean.TotalSeconds);

    private async Task<int> SendAsync(TimeSpan mean, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var chance = ChancePerTick(settings.HiredChallengeTick, mean);
        await using var session = store.LightweightSession();
        var hired = await session.Query<Device>().Where(d => d.Status == DeviceStatus.Hired).ToListAsync(ct);
        var sent = 0;
        foreach (var device in hired)
        {
            if (Random.Shared.NextDouble() >= chance)
                continue;
            var standing = await session.LoadAsync<DeviceProofOfWork>(DeviceProofOfWork.Key(device.DeviceId), ct);
            if (standing?.DeviceKey is not { } key)
                continue; // a device without a key cannot answer; eligibility keeps such devices out of the book
            var id = device.DeviceId;
            if (await session.Query<ProofOfWorkChallengeRecord>().AnyAsync(r => r.Device == id && r.Outcome == null && r.Deadline > now, ct))
                continue; // one open challenge at a time
            var (challenge, record) = ProofOfWorkApi.NewChallenge(device, key, catalogue, settings, now);
            record.WhileHired = true;
            session.Store(record);
            sent++;
            log.LogInformation("Hired device {Device} challenged: {Challenge} (n = {N}, deadline {Deadline:O})", id, challenge.Id, challenge.N, challenge.Deadline);
        }
        await session.SaveChangesAsync(ct);
        return sent;
    }

    private async Task TimeOutAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var query = store.QuerySession();
        var late = await query.Query<ProofOfWorkChallengeRecord>().Where(r => r.WhileHired && r.Outcome == null && r.Deadline <= now).ToListAsync(ct);
        foreach (var stale in late)
        {
            await using var session = store.LightweightSession();
            var record = await session.LoadAsync<ProofOfWorkChallengeRecord>(stale.Id, ct);
            if (record is null || record.Outcome is not null)
                continue;
            try
            {
                await ProofOfWorkApi.CompleteAsync(session, record,
                    ProofOfWorkOutcome.Failed(ProofOfWorkFailure.Timeout, $"no answer before the deadline {record.Deadline:O}"), record.Deadline, ct);
            }
            catch (JasperFx.ConcurrencyException)
            {
                // Answered meanwhile: that answer decides.
            }
        }
    }

    private async Task FailDevicesAsync(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var failed = await query.Query<ProofOfWorkChallengeRecord>()
            .Where(r => r.WhileHired && r.Outcome != null && r.Outcome != "Verified" && r.PunishedAt == null).ToListAsync(ct);
        foreach (var found in failed)
        {
            await using var session = store.LightweightSession();
            var record = await session.LoadAsync<ProofOfWorkChallengeRecord>(found.Id, ct);
            if (record is null || record.PunishedAt is not null)
                continue;
            var at = record.CompletedAt ?? clock.GetUtcNow();
            var stream = await session.Events.FetchForWriting<Device>(Device.StreamKey(record.Device), ct);
            var decision = DeviceDecisions.Decide(stream.Aggregate,
                new ChangeDeviceStatus(record.Device, DeviceStatus.Failed, $"failed proof of work while hired: {record.Outcome} ({record.Detail})", Actor, at));
            stream.AppendMany(decision.Events);
            var now = clock.GetUtcNow();
            record.PunishedAt = now;
            session.Store(record);
            var slashes = await slashing.QueueAsync(session, record.Device, record.Challenge, now, ct);
            try
            {
                await session.SaveChangesAsync(ct);
                outbox.Wake();
                log.LogWarning("Device {Device} failed challenge {Challenge} while hired ({Outcome}): Failed, slashing {Slashes}", record.Device, record.Challenge,
                    record.Outcome, string.Join(", ", slashes.Select(s => $"{s.Amount} of {s.Staker}")));
            }
            catch (Exception e) when (e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                // Changed meanwhile: the next pass decides on the new state.
            }
        }
    }
}
