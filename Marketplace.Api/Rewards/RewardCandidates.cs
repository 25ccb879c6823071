using IoNet.Ledger.Devices;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.ProofOfWork;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Rewards;
using Marten;

namespace IoNet.Marketplace.Rewards;

/// <summary>
/// What a block's end knows of every registered device that has ever had a verified proof of work or has a stake
/// (docs/rewards.md, "The service"): its facts and status
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
        // Only devices that ever proved themselves or have a stake are candidates: a registration that never did either
        // (io.net saw 1.8M fake GPUs) costs a block nothing and is not listed among the devices not nominated.
        await using var session = store.QuerySession();
        var proofs = (await session.Query<DeviceProofOfWork>().Where(p => p.LastVerifiedAt != null).ToListAsync(ct))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        var staked = await stakes.StakedAsync(ct);
        var keys = proofs.Keys.Union(staked.Keys, StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
            return [];
        var devices = (await session.LoadManyAsync<Device>(ct, keys)).Where(d => d.RegisteredAt < blockEnd).ToList();
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
