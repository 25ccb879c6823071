namespace IoNet.Ledger.Devices;

// A device's life in the marketplace, one stream per device (stream key: the device Guid as 32 lower-case hex
// digits, as memos write it). Marketplace events, not chain events: each carries the time it happened.

/// <summary>A supplier's wallet registered a device. <see cref="GpuModel"/> is a catalogue id, null for a CPU-only device.</summary>
public sealed record DeviceRegistered(
    Guid Device, string Owner, string? GpuModel, int GpuCount, string CpuClass, int RamGiB,
    string Country, string City, ConnectivityTier Connectivity, SecurityTier Security, DateTimeOffset At);

/// <summary>The owner took the device off the market; <see cref="From"/> is the status it had.</summary>
public sealed record DevicePaused(Guid Device, string By, DeviceStatus From, DateTimeOffset At);

/// <summary>The owner put a paused device back on the market (it is Idle again).</summary>
public sealed record DeviceResumed(Guid Device, string By, DateTimeOffset At);

/// <summary>The device's status changed for another reason than a pause (an operator, a rental, a missed heartbeat).</summary>
public sealed record DeviceStatusChanged(Guid Device, DeviceStatus From, DeviceStatus To, string Reason, string By, DateTimeOffset At);

/// <summary>
/// The device was found fit (or unfit) to be hired. Today an operator says so; the proof-of-work issue will append it
/// when a device passes or fails its challenge.
/// </summary>
public sealed record DeviceEligibilityChanged(Guid Device, bool Eligible, string Reason, string By, DateTimeOffset At);

/// <summary>A device's status in the marketplace (io.net's worker statuses). Numbers are stored: never renumber.</summary>
public enum DeviceStatus
{
    Idle = 0,
    Hired = 1,
    Paused = 2,
    Down = 3,
    Failed = 4,
    Blocked = 5,
    Unsupported = 6,
    Inactive = 7,
}

/// <summary>Network tier of a device (io.net's connectivity tiers), best first. Numbers are stored: never renumber.</summary>
public enum ConnectivityTier
{
    Ultra = 0,
    High = 1,
    Medium = 2,
    Low = 3,
}

/// <summary>Security compliance a device offers, weakest first. Numbers are stored: never renumber.</summary>
public enum SecurityTier
{
    /// <summary>No guarantees beyond the worker's isolation.</summary>
    Standard = 0,

    /// <summary>Traffic to and from the workload is encrypted end to end.</summary>
    EndToEndEncrypted = 1,

    /// <summary>Hosted in a SOC 2 audited data centre.</summary>
    Soc2 = 2,
}
