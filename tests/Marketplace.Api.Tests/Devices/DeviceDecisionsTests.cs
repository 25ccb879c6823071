using IoNet.Ledger.Devices;
using IoNet.Marketplace.Devices;

namespace IoNet.MarketplaceApi.Tests.Devices;

/// <summary>Given events, when a command, then events (or a rejection): the pure device decider.</summary>
public sealed class DeviceDecisionsTests
{
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly DateTimeOffset T0 = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
    private const string Owner = "Owner1111111111111111111111111111111111111";
    private const string Stranger = "Stranger11111111111111111111111111111111111";

    private static readonly DeviceRegistered Registered = new(Id, Owner, "H100", 8, "EPYC-9654", 1024, "DE", "Berlin",
        ConnectivityTier.Ultra, SecurityTier.Soc2, T0);

    private static Device Given(params object[] events) => Device.Replay(events)!;

    [Fact]
    public void registering_emits_the_registration_and_the_device_starts_idle_and_not_eligible()
    {
        var decision = DeviceDecisions.Decide(new RegisterDevice(Id, Owner, "H100", 8, "EPYC-9654", 1024, "DE", "Berlin", ConnectivityTier.Ultra, SecurityTier.Soc2, T0));

        decision.Events.ShouldBe([Registered]);
        var device = Given([.. decision.Events]);
        device.Status.ShouldBe(DeviceStatus.Idle);
        device.MarkedEligible.ShouldBeFalse();
        device.Id.ShouldBe(Id.ToString("N"));
    }

    [Fact]
    public void the_owner_pauses_an_idle_device_and_resumes_it()
    {
        var paused = DeviceDecisions.Decide(Given(Registered), new PauseDevice(Id, Owner, T0.AddMinutes(1)));
        paused.Events.ShouldBe([new DevicePaused(Id, Owner, DeviceStatus.Idle, T0.AddMinutes(1))]);

        var resumed = DeviceDecisions.Decide(Given(Registered, paused.Events[0]), new ResumeDevice(Id, Owner, T0.AddMinutes(2)));
        resumed.Events.ShouldBe([new DeviceResumed(Id, Owner, T0.AddMinutes(2))]);
        Given(Registered, paused.Events[0], resumed.Events[0]).Status.ShouldBe(DeviceStatus.Idle);
    }

    [Fact]
    public void pausing_twice_changes_nothing_the_second_time()
    {
        var decision = DeviceDecisions.Decide(Given(Registered, new DevicePaused(Id, Owner, DeviceStatus.Idle, T0)), new PauseDevice(Id, Owner, T0));

        decision.Rejection.ShouldBeNull();
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void another_wallet_cannot_pause_or_resume_the_device()
    {
        DeviceDecisions.Decide(Given(Registered), new PauseDevice(Id, Stranger, T0)).Rejection.ShouldBe(DeviceRejection.NotOwner);
        DeviceDecisions.Decide(Given(Registered), new ResumeDevice(Id, Stranger, T0)).Rejection.ShouldBe(DeviceRejection.NotOwner);
    }

    [Fact]
    public void a_hired_or_blocked_device_cannot_be_paused()
    {
        var hired = Given(Registered, new DeviceStatusChanged(Id, DeviceStatus.Idle, DeviceStatus.Hired, "rental", "matcher", T0));
        var blocked = Given(Registered, new DeviceStatusChanged(Id, DeviceStatus.Idle, DeviceStatus.Blocked, "abuse", "op", T0));

        DeviceDecisions.Decide(hired, new PauseDevice(Id, Owner, T0)).Rejection.ShouldBe(DeviceRejection.Conflict);
        DeviceDecisions.Decide(blocked, new PauseDevice(Id, Owner, T0)).Rejection.ShouldBe(DeviceRejection.Conflict);
    }

    [Fact]
    public void commands_for_an_unregistered_device_are_not_found()
    {
        DeviceDecisions.Decide(null, new PauseDevice(Id, Owner, T0)).Rejection.ShouldBe(DeviceRejection.NotFound);
        DeviceDecisions.Decide(null, new SetDeviceEligibility(Id, true, "ok", "op", T0)).Rejection.ShouldBe(DeviceRejection.NotFound);
        DeviceDecisions.Decide(null, new ChangeDeviceStatus(Id, DeviceStatus.Down, "x", "op", T0)).Rejection.ShouldBe(DeviceRejection.NotFound);
    }

    [Fact]
    public void an_operator_marks_a_device_eligible_once_and_blocking_makes_it_ineligible_again()
    {
        var marked = DeviceDecisions.Decide(Given(Registered), new SetDeviceEligibility(Id, true, "checked", "op", T0));
        marked.Events.ShouldBe([new DeviceEligibilityChanged(Id, true, "checked", "op", T0)]);
        var device = Given(Registered, marked.Events[0]);
        OperatorMarkedEligibility.Evaluate(device).IsEligible.ShouldBeTrue();
        DeviceDecisions.Decide(device, new SetDeviceEligibility(Id, true, "checked", "op", T0)).Events.ShouldBeEmpty();

        var blocked = DeviceDecisions.Decide(device, new ChangeDeviceStatus(Id, DeviceStatus.Blocked, "abuse", "op", T0));
        var after = Given(Registered, marked.Events[0], blocked.Events[0]);

        OperatorMarkedEligibility.Evaluate(after).Reasons.ShouldBe(["Blocked by an operator."]);
    }

    [Theory]
    [InlineData(DeviceStatus.Hired)]
    [InlineData(DeviceStatus.Paused)]
    public void an_operator_cannot_set_statuses_that_come_from_rentals_or_owners(DeviceStatus status) =>
        DeviceDecisions.Decide(Given(Registered), new ChangeDeviceStatus(Id, status, "x", "op", T0)).Rejection.ShouldBe(DeviceRejection.Invalid);
}
