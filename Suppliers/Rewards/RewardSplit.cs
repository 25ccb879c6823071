using IoNet.Solana.Keys;

namespace IoNet.Suppliers.Rewards;

/// <summary>One device's share of a reward block.</summary>
public sealed record RewardPayout(Guid Device, PublicKey Worker, RewardPool Pool, ulong Score, ulong Amount);

/// <summary>A device that was not nominated, with the reasons.</summary>
public sealed record NotNominated(Guid Device, IReadOnlyList<string> Reasons);

/// <summary>
/// A block's split: the payouts (devices with a positive amount, in device-id order), the devices not nominated, and
/// <see cref="Carried"/>: what no device received because nobody was nominated, for the caller to add to the next
/// block. Always Σ payouts + Carried = Distributable.
/// </summary>
public sealed record RewardBlockSplit(
    long Block, ulong Distributable, IReadOnlyList<RewardPayout> Payouts, IReadOnlyList<NotNominated> NotNominated, ulong Carried)
{
    public ulong Paid => Payouts.Aggregate(0UL, (sum, p) => checked(sum + p.Amount));
}

/// <summary>
/// Splits a block's distributable amount (its emission plus any carry) among the nominated devices, exactly
/// (docs/rewards.md, "Split"): GPU pool floor(E × 95 / 100), CPU pool the rest — a pool with no nominee gives its share
/// to the other; within a pool each device gets floor(pool × score / Σ scores), and the base units left over (fewer
/// than the pool's devices) go one each to the largest remainders, ties to the smaller device id. Nothing is lost: the
/// payouts add up to the distributable amount, or, when no device is nominated, all of it is carried.
/// </summary>
public static class RewardSplit
{
    public static RewardBlockSplit Split(
        long block, ulong distributable, IEnumerable<RewardCandidate> candidates, DateTimeOffset blockEnd, RewardRules? rules = null)
    {
        rules ??= RewardRules.Default;
        var all = candidates.ToList();
        var duplicate = all.GroupBy(c => c.Device).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Device {duplicate.Key:N} appears twice among the candidates.", nameof(candidates));

        var nominated = new List<RewardCandidate>();
        var notNominated = new List<NotNominated>();
        foreach (var device in all)
        {
            var result = Nomination.Evaluate(device, blockEnd, rules);
            if (result.IsNominated)
                nominated.Add(device);
            else
                notNominated.Add(new NotNominated(device.Device, result.Reasons));
        }
        var gpus = nominated.Where(d => d.Pool == RewardPool.Gpu).ToList();
        var cpus = nominated.Where(d => d.Pool == RewardPool.Cpu).ToList();
        if (gpus.Count == 0 && cpus.Count == 0)
            return new RewardBlockSplit(block, distributable, [], notNominated, distributable);

        var gpuPool = (ulong)((UInt128)distributable * (ulong)rules.GpuPoolPercent / 100);
        if (cpus.Count == 0)
            gpuPool = distributable;
        else if (gpus.Count == 0)
            gpuPool = 0;
        var payouts = Shares(gpus, gpuPool, rules).Concat(Shares(cpus, distributable - gpuPool, rules))
            .Where(p => p.Amount > 0)
            .OrderBy(p => p.Device, DeviceOrder.Instance)
            .ToList();
        return new RewardBlockSplit(block, distributable, payouts, notNominated, 0);
    }

    /// <summary>Largest-remainder shares of <paramref name="pool"/> by score; they add up to the pool exactly.</summary>
    internal static IEnumerable<RewardPayout> Shares(IReadOnlyList<RewardCandidate> devices, ulong pool, RewardRules rules)
    {
        if (devices.Count == 0)
            return [];
        var scores = devices.Select(d => RewardScore.Of(d, rules)).ToArray();
        UInt128 total = 0;
        foreach (var s in scores)
            total += s;
        var amounts = new ulong[devices.Count];
        var remainders = new UInt128[devices.Count];
        ulong given = 0;
        for (var i = 0; i < devices.Count; i++)
        {
            var quota = (UInt128)pool * scores[i];
            amounts[i] = (ulong)(quota / total);
            remainders[i] = quota % total;
            given += amounts[i];
        }
        var left = pool - given;
        var order = Enumerable.Range(0, devices.Count)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => devices[i].Device, DeviceOrder.Instance);
        foreach (var i in order.Take((int)left))
            amounts[i]++;
        return devices.Select((d, i) => new RewardPayout(d.Device, d.Worker, d.Pool, scores[i], amounts[i]));
    }
}

/// <summary>Devices in the order of their ids' 16 bytes as the 32 hex digits spell them (the order of the hex strings).</summary>
public sealed class DeviceOrder : IComparer<Guid>
{
    public static readonly DeviceOrder Instance = new();

    public int Compare(Guid x, Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }
}
