using System.Globalization;
using IoNet.Ledger.Devices;
using IoNet.Marketplace.Devices;
using IoNet.Suppliers.Rewards;
using Marten;

namespace IoNet.Marketplace.ProofOfWork;

/// <summary>
/// Eligibility by proof of work (Marketplace:ProofOfWork:DecidesEligibility): a proof verified within the last day,
/// a stake of at least 200 IO × max(1, hardware multiplier) per GPU (the Indexer's stake events, <see cref="Staking.IndexedStake"/>), and
/// neither Blocked nor Unsupported.
/// </summary>
public sealed class ProofOfWorkEligibility(IDocumentStore store, HardwareCatalogue catalogue, ProofOfWorkSettings settings) : IDeviceEligibility
{
    public async ValueTask<Eligibility> CheckAsync(Guid device, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        var state = await session.LoadAsync<Device>(Device.StreamKey(device), cancellationToken);
        return state is null ? Eligibility.Not("The device is not registered.") : await EvaluateAsync(session, state, now, cancellationToken);
    }

    public async ValueTask<Eligibility> CheckAsync(Device device, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        return await EvaluateAsync(session, device, now, cancellationToken);
    }

    private async Task<Eligibility> EvaluateAsync(IQuerySession session, Device device, DateTimeOffset now, CancellationToken ct)
    {
        var key = Device.StreamKey(device.DeviceId);
        var standing = await session.LoadAsync<DeviceProofOfWork>(key, ct);
        var stake = await Staking.IndexedStake.ReadAsync(session, key, ct);
        return Evaluate(device, standing, stake.Staked, RequiredStake(device), now, settings.ProofValidity);
    }

    /// <summary>200 IO × max(1, multiplier) × GPUs (× 1 for a CPU-only device), in IO base units.</summary>
    public ulong RequiredStake(Device device)
    {
        var multiplier = device.GpuModel is { } model
            ? catalogue.Gpu(model)?.HardwareMultiplier ?? 1m
            : catalogue.Cpu(device.CpuClass)?.HardwareMultiplier ?? 1m;
        return Nomination.RequiredStake((int)(multiplier * 100), device.GpuModel is null ? 1 : device.GpuCount, RewardRules.Default);
    }

    public static Eligibility Evaluate(Device device, DeviceProofOfWork? standing, ulong staked, ulong required, DateTimeOffset now, TimeSpan validity)
    {
        var reasons = new List<string>();
        if (device.Status == DeviceStatus.Blocked)
            reasons.Add("Blocked by an operator.");
        if (device.Status == DeviceStatus.Unsupported)
            reasons.Add("Its hardware is not supported.");
        if (standing?.LastVerifiedAt is not { } verified)
            reasons.Add("No proof of work verified yet.");
        else if (verified < now - validity)
            reasons.Add($"The last proof of work was verified at {verified:u}, more than {validity.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h ago.");
        if (staked < required)
            reasons.Add($"Staked {staked} IO base units, {required} required (200 IO × max(1, hardware multiplier) per GPU).");
        return reasons.Count == 0 ? Eligibility.Eligible : new Eligibility(false, reasons);
    }
}
