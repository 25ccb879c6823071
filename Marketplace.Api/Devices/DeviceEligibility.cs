using IoNet.Ledger.Devices;
using Marten;

namespace IoNet.Marketplace.Devices;

/// <summary>Whether a device may be hired, and if not, every reason why not.</summary>
public sealed record Eligibility(bool IsEligible, IReadOnlyList<string> Reasons)
{
    public static readonly Eligibility Eligible = new(true, []);

    public static Eligibility Not(params string[] reasons) => new(false, reasons);
}

/// <summary>
/// Decides whether a registered device is fit to be hired. This issue defines it; the proof-of-work issue fills it in
/// (a passed challenge for the device's claimed hardware). Until then <see cref="OperatorMarkedEligibility"/> decides.
/// </summary>
public interface IDeviceEligibility
{
    ValueTask<Eligibility> CheckAsync(Guid device, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The same for a device already loaded (lists, views).</summary>
    ValueTask<Eligibility> CheckAsync(Device device, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// Today's rule: eligible when an operator marked it so (POST /api/operator/devices/{id}/eligible) and it is neither
/// Blocked nor Unsupported.
/// </summary>
public sealed class OperatorMarkedEligibility(IDocumentStore store) : IDeviceEligibility
{
    public async ValueTask<Eligibility> CheckAsync(Guid device, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        var state = await session.LoadAsync<Device>(Device.StreamKey(device), cancellationToken);
        return state is null ? Eligibility.Not("The device is not registered.") : Evaluate(state);
    }

    public ValueTask<Eligibility> CheckAsync(Device device, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Evaluate(device));

    public static Eligibility Evaluate(Device device)
    {
        var reasons = new List<string>();
        if (!device.MarkedEligible)
            reasons.Add(device.EligibilityReason is { } why ? $"Not marked eligible: {why}" : "Not yet marked eligible by an operator (proof of work will decide this).");
        if (device.Status == DeviceStatus.Blocked)
            reasons.Add("Blocked by an operator.");
        if (device.Status == DeviceStatus.Unsupported)
            reasons.Add("Its hardware is not supported.");
        return reasons.Count == 0 ? Eligibility.Eligible : new Eligibility(false, reasons);
    }
}
