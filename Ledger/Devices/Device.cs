namespace IoNet.Ledger.Devices;

/// <summary>
/// A device as the marketplace and the explorer read it: the inline single-stream projection of its events (Marten
/// snapshot, document id = stream key = the device Guid as 32 hex digits, the same key <see cref="DeviceEarnings"/> uses).
/// <see cref="Create"/> and the Apply methods are the pure Evolve of the device's state.
/// </summary>
public sealed class Device
{
    public string Id { get; set; } = "";
    public Guid DeviceId { get; set; }
    public string Owner { get; set; } = "";
    public string? GpuModel { get; set; }
    public int GpuCount { get; set; }
    public string CpuClass { get; set; } = "";
    public int RamGiB { get; set; }
    public string Country { get; set; } = "";
    public string City { get; set; } = "";
    public ConnectivityTier Connectivity { get; set; }
    public SecurityTier Security { get; set; }
    public DeviceStatus Status { get; set; }

    /// <summary>Marked fit to be hired (by an operator today, by proof of work later).</summary>
    public bool MarkedEligible { get; set; }

    public string? EligibilityReason { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static string StreamKey(Guid device) => device.ToString("N");

    public static Device Create(DeviceRegistered e) => new()
    {
        Id = StreamKey(e.Device), DeviceId = e.Device, Owner = e.Owner, GpuModel = e.GpuModel, GpuCount = e.GpuCount,
        CpuClass = e.CpuClass, RamGiB = e.RamGiB, Country = e.Country, City = e.City, Connectivity = e.Connectivity,
        Security = e.Security, Status = DeviceStatus.Idle, RegisteredAt = e.At, UpdatedAt = e.At,
    };

    public void Apply(DevicePaused e) => (Status, UpdatedAt) = (DeviceStatus.Paused, e.At);

    public void Apply(DeviceResumed e) => (Status, UpdatedAt) = (DeviceStatus.Idle, e.At);

    public void Apply(DeviceStatusChanged e) => (Status, UpdatedAt) = (e.To, e.At);

    public void Apply(DeviceEligibilityChanged e) => (MarkedEligible, EligibilityReason, UpdatedAt) = (e.Eligible, e.Reason, e.At);

    /// <summary>One step of the fold: the state after <paramref name="e"/> (the same object, changed, once it exists).</summary>
    public static Device? After(Device? state, object e)
    {
        switch (e)
        {
            case DeviceRegistered r: return Create(r);
            case DevicePaused p: state?.Apply(p); break;
            case DeviceResumed r: state?.Apply(r); break;
            case DeviceStatusChanged c: state?.Apply(c); break;
            case DeviceEligibilityChanged c: state?.Apply(c); break;
        }
        return state;
    }

    /// <summary>Folds a stream's events (the first one <see cref="DeviceRegistered"/>) into the state; for deciders and tests.</summary>
    public static Device? Replay(IEnumerable<object> events) => events.Aggregate((Device?)null, After);
}
