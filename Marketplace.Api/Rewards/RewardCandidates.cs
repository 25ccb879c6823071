using IoNet.Ledger.Devices;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.ProofOfWork;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Rewards;
using Marten;

namespace IoNet.Marketplace.Rewards;

/// <summary>
/// What a block's end knows of every registered device (docs/rewards.md, "The service"): its facts and status
/// (<see cref="Device"/>), its hardware multiplier (the catalogue; 0 for hardware it does not know), its stake (the
/// indexer's <see cref="DeviceEarnings"/>), its last verified proof of work (<see cref="DeviceProofOfWork"/>) and its
/// green uptime in the nomination window (<see cref="IRewardUptime"/>). Stake, proof and status are read as they are
/// when the block is closed; uptime is measured over the block's own window.
/// </summary>
public sealed class RewardCandidates(
    IDocumentStore store, HardwareCatalogue catalogue, IndexedStakes stakes, IRewardUptime uptime, ILogger<RewardCandidates> log)
{
    public async Task<IReadOnlyList<RewardCandidate>> AtAsync(DateTimeOffset blockEnd, RewardRules rules, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var devices = await session.Query<Device>().Where(d => d.RegisteredAt < blockEnd).ToListAsync(ct);
        if (devices.Count == 0)
            return [];
        var keys = devices.Select(d => d.Id).ToArray();
        var proofs = (await session.LoadManyAsync<DeviceProofOfWork>(ct, keys)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var staked = await stakes.StakedAsync(keys, ct);
        var green = await uptime.GreenUptimeAsync([.. devices.Select(d => d.DeviceId)], blockEnd - rules.UptimeWindow, blockEnd, ct);
        var candidates = new List<RewardCandidate>(devices.Count);
        foreach (var d in devices.OrderBy(d => d.DeviceId, DeviceOrder.Instance))
        {
            if (!PublicKey.TryParse(d.Owner, out var worker))
            {
                log.LogWarning("Device {Device}: its owner {Owner} is not a Solana address; it cannot be paid", d.Id, d.Owner);
                continue;
            }
            var cpuOnly = d.GpuModel is null;
            var multiplier = cpuOnly ? catalogue.Cpu(d.CpuClass)?.HardwareMultiplier ?? 0m : catalogue.Gpu(d.GpuModel!)?.HardwareMultiplier ?? 0m;
            candidates.Add(new RewardCandidate(
                d.DeviceId, worker, cpuOnly ? RewardPool.Cpu : RewardPool.Gpu, cpuOnly ? 1 : d.GpuCount, (int)(multiplier * 100), (int)d.Connectivity,
                d.Status == DeviceStatus.Hired, green.GetValueOrDefault(d.DeviceId), proofs.GetValueOrDefault(d.Id)?.LastVerifiedAt,
                staked.GetValueOrDefault(d.Id), d.Status is DeviceStatus.Blocked or DeviceStatus.Unsupported));
        }
        return candidates;
    }
}
