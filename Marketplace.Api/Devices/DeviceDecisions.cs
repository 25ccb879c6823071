using IoNet.Ledger.Devices;

namespace IoNet.Marketplace.Devices;

// Commands carry who acts and when; the deciders below read neither clock nor store.
public sealed record RegisterDevice(
    Guid Device, string Owner, string? GpuModel, int GpuCount, string CpuClass, int RamGiB, string Country, string City,
    ConnectivityTier Connectivity, SecurityTier Security, DateTimeOffset Now);

public sealed record PauseDevice(Guid Device, string Wallet, DateTimeOffset Now);

public sealed record ResumeDevice(Guid Device, string Wallet, DateTimeOffset Now);

public sealed record SetDeviceEligibility(Guid Device, bool Eligible, string Reason, string Operator, DateTimeOffset Now);

public sealed record ChangeDeviceStatus(Guid Device, DeviceStatus To, string Reason, string Operator, DateTimeOffset Now);

public enum DeviceRejection
{
    NotFound,
    NotOwner,
    Conflict,
    Invalid,
}

/// <summary>Accepted with the events to append (none when the command changes nothing), or rejected with why.</summary>
public sealed record DeviceDecision(IReadOnlyList<object> Events, DeviceRejection? Rejection, string? Detail)
{
    public static DeviceDecision Accept(params object[] events) => new(events, null, null);

    public static DeviceDecision Reject(DeviceRejection rejection, string detail) => new([], rejection, detail);
}

/// <summary>Decide(state, command) -> events for a device's stream.</summary>
public static class DeviceDecisions
{
    /// <summary>Statuses an operator may set directly; Hired and Paused come from rentals and from the owner.</summary>
    public static readonly IReadOnlySet<DeviceStatus> OperatorStatuses = new HashSet<DeviceStatus>
    {
        DeviceStatus.Idle, DeviceStatus.Down, DeviceStatus.Failed, DeviceStatus.Blocked, DeviceStatus.Unsupported, DeviceStatus.Inactive,
    };

    public static DeviceDecision Decide(RegisterDevice c) => DeviceDecision.Accept(new DeviceRegistered(
        c.Device, c.Owner, c.GpuModel, c.GpuCount, c.CpuClass, c.RamGiB, c.Country, c.City, c.Connectivity, c.Security, c.Now));

    public static DeviceDecision Decide(Device? state, PauseDevice c)
    {
        if (Owned(state, c.Device, c.Wallet) is { } rejected)
            return rejected;
        return state!.Status switch
        {
            DeviceStatus.Paused => DeviceDecision.Accept(),
            DeviceStatus.Hired => DeviceDecision.Reject(DeviceRejection.Conflict, "The device is hired: it can be paused when its rental ends."),
            DeviceStatus.Blocked or DeviceStatus.Unsupported =>
                DeviceDecision.Reject(DeviceRejection.Conflict, $"The device is {state.Status}: only an operator changes that."),
            _ => DeviceDecision.Accept(new DevicePaused(c.Device, c.Wallet, state.Status, c.Now)),
        };
    }

    public static DeviceDecision Decide(Device? state, ResumeDevice c)
    {
        if (Owned(state, c.Device, c.Wallet) is { } rejected)
            return rejected;
        return state!.Status switch
        {
            DeviceStatus.Paused => DeviceDecision.Accept(new DeviceResumed(c.Device, c.Wallet, c.Now)),
            DeviceStatus.Idle => DeviceDecision.Accept(),
            _ => DeviceDecision.Reject(DeviceRejection.Conflict, $"The device is {state.Status}, not paused."),
        };
    }

    public static DeviceDecision Decide(Device? state, SetDeviceEligibility c)
    {
        if (state is null)
            return DeviceDecision.Reject(DeviceRejection.NotFound, $"No device {c.Device} is registered.");
        return state.MarkedEligible == c.Eligible && state.EligibilityReason == c.Reason
            ? DeviceDecision.Accept()
            : DeviceDecision.Accept(new DeviceEligibilityChanged(c.Device, c.Eligible, c.Reason, c.Operator, c.Now));
    }

    public static DeviceDecision Decide(Device? state, ChangeDeviceStatus c)
    {
        if (state is null)
            return DeviceDecision.Reject(DeviceRejection.NotFound, $"No device {c.Device} is registered.");
        if (!OperatorStatuses.Contains(c.To))
            return DeviceDecision.Reject(DeviceRejection.Invalid, $"An operator cannot set {c.To}: it follows from rentals (Hired) or from the owner (Paused).");
        return state.Status == c.To
            ? DeviceDecision.Accept()
            : DeviceDecision.Accept(new DeviceStatusChanged(c.Device, state.Status, c.To, c.Reason, c.Operator, c.Now));
    }

    private static DeviceDecision? Owned(Device? state, Guid device, string wallet) =>
        state is null ? DeviceDecision.Reject(DeviceRejection.NotFound, $"No device {device} is registered.")
        : state.Owner != wallet ? DeviceDecision.Reject(DeviceRejection.NotOwner, "Only the wallet that registered the device may change it.")
        : null;
}
