using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Quotes;
using IoNet.Marketplace.Rentals;

namespace IoNet.MarketplaceApi.Tests.Rentals;

/// <summary>The rental's decider, Given (events) / When (command) / Then (events): payments, timers, extensions, ends.</summary>
public sealed class RentalDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = new("0000000a-0000-0000-0000-000000000001");
    private static readonly Guid DeviceA = new("0000000d-0000-0000-0000-00000000000a"), DeviceB = new("0000000d-0000-0000-0000-00000000000b");
    private const string Iosd = "IOSDmint", Usdc = "USDCmint", Buyer = "buyer", Vault = "escrowVault";

    /// <summary>3 GPUs at 6.5 USD an hour for 10 h in IOSD: 65.1625 IOSD due by T0 + 20 min.</summary>
    private static RentalMatched Matched(int maxHours = 48) => new(
        Id, Guid.NewGuid(), Buyer, 3, 10, PaymentCurrencies.Iosd,
        [
            new RentalDevice(Guid.Empty, DeviceA, "a", "H100", 2, 2_000_000, maxHours, T0.AddDays(2)),
            new RentalDevice(Guid.Empty, DeviceB, "b", "H100", 1, 2_500_000, maxHours, T0.AddDays(2)),
        ],
        6_500_000, 65_000_000, 162_500, 65_162_500, null, 65_162_500, T0.AddMinutes(20), T0);

    private static Rental Given(params object[] events) => Rental.Replay(events)!;

    private static RecordPayment Pay(ulong amount, string mint = Iosd, string signature = "sig1", DateTimeOffset? at = null, string vault = Vault) =>
        new(signature, "2", "payer", mint, vault, amount, Iosd, Vault, at ?? T0.AddMinutes(5));

    [Fact]
    public void a_payment_of_the_whole_amount_activates_the_rental_for_its_hours()
    {
        var decision = RentalDecisions.Decide(Given(Matched()), Pay(65_162_500));

        decision.Events.Count.ShouldBe(2);
        decision.Events[0].ShouldBeOfType<RentalPaymentReceived>().Counted.ShouldBeTrue();
        decision.Events[1].ShouldBe(new RentalActivated(Id, 65_162_500, T0.AddMinutes(5).AddHours(10), T0.AddMinutes(5)));
    }

    [Fact]
    public void an_underpayment_is_recorded_but_does_not_activate_and_a_second_transfer_completes_it()
    {
        var first = RentalDecisions.Decide(Given(Matched()), Pay(65_162_499));
        first.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalPaymentReceived>();
        var state = Given([Matched(), .. first.Events]);
        state.Status.ShouldBe(RentalStatus.AwaitingPayment);
        state.Outstanding.ShouldBe(1UL);

        var second = RentalDecisions.Decide(state, Pay(1, signature: "sig2"));

        second.Events[^1].ShouldBeOfType<RentalActivated>().Funded.ShouldBe(65_162_500UL);
    }

    [Fact]
    public void a_payment_in_another_mint_never_counts_and_the_same_payment_twice_is_recorded_once()
    {
        var wrong = RentalDecisions.Decide(Given(Matched()), Pay(100_000_000, Usdc));
        wrong.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalPaymentReceived>().Counted.ShouldBeFalse();
        var state = Given([Matched(), .. wrong.Events]);
        state.Funded.ShouldBe(0UL);

        RentalDecisions.Decide(state, Pay(100_000_000, Usdc)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_payment_in_the_rental_mint_into_another_vault_never_counts()
    {
        var elsewhere = RentalDecisions.Decide(Given(Matched()), Pay(65_162_500, vault: "someOtherTokenAccount"));

        elsewhere.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalPaymentReceived>().Counted.ShouldBeFalse();
        Given([Matched(), .. elsewhere.Events]).Status.ShouldBe(RentalStatus.AwaitingPayment);
    }

    [Fact]
    public void an_overpayment_activates_and_keeps_what_was_funded_for_the_refund()
    {
        var decision = RentalDecisions.Decide(Given(Matched()), Pay(70_000_000));

        decision.Events[^1].ShouldBeOfType<RentalActivated>().Funded.ShouldBe(70_000_000UL);
        var state = Given([Matched(), .. decision.Events]);
        state.Funded.ShouldBe(70_000_000UL);
        state.Overpaid.ShouldBe(70_000_000UL - 65_162_500UL);
    }

    [Fact]
    public void an_unpaid_rental_lapses_when_its_window_closes_and_not_before()
    {
        var state = Given(Matched(), new RentalPaymentReceived(Id, "s", "1", "p", Iosd, Vault, 10, true, T0));

        RentalDecisions.Decide(state, new CheckTimers(T0.AddMinutes(19))).Events.ShouldBeEmpty();
        var lapsed = RentalDecisions.Decide(state, new CheckTimers(T0.AddMinutes(20)));

        lapsed.Events.ShouldBe([new RentalLapsed(Id, 10, T0.AddMinutes(20))]);
        lapsed.ReleasesDevices.ShouldBeTrue();
        Given([Matched(), new RentalPaymentReceived(Id, "s", "1", "p", Iosd, Vault, 10, true, T0), .. lapsed.Events]).AwaitsSettlement.ShouldBeTrue();
    }

    [Fact]
    public void a_late_payment_after_the_lapse_is_recorded_for_the_refund_and_activates_nothing()
    {
        var state = Given(Matched(), new RentalLapsed(Id, 0, T0.AddMinutes(20)));

        RentalDecisions.Decide(state, Pay(65_162_500, at: T0.AddMinutes(30))).Events.ShouldHaveSingleItem().ShouldBeOfType<RentalPaymentReceived>();
    }

    [Fact]
    public void an_active_rental_completes_when_its_booked_time_runs_out()
    {
        var activated = new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0);
        var state = Given(Matched(), activated);

        RentalDecisions.Decide(state, new CheckTimers(T0.AddHours(10).AddTicks(-1))).Events.ShouldBeEmpty();
        var done = RentalDecisions.Decide(state, new CheckTimers(T0.AddHours(10)));

        done.Events.ShouldBe([new RentalEnded(Id, RentalEndReason.Completed, "market", T0.AddHours(10))]);
        Given(Matched(), activated, done.Events[0]).Status.ShouldBe(RentalStatus.Completed);
    }

    [Fact]
    public void an_extension_is_priced_the_same_and_adds_its_hours_once_paid()
    {
        var paid0 = new RentalPaymentReceived(Id, "sig0", "2", "payer", Iosd, Vault, 65_162_500, true, T0);
        var activated = new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0);
        var state = Given(Matched(), paid0, activated);
        var price = RentalPrice.Of(state.PerHourMicroUsd, 5, PaymentCurrencies.Iosd, null);

        var requested = RentalDecisions.Decide(state, new RequestExtension(Guid.NewGuid(), Buyer, 5, price, TimeSpan.FromMinutes(20), T0.AddHours(1)));

        var request = requested.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalExtensionRequested>();
        request.AmountDue.ShouldBe(32_581_250UL);
        state = Given(Matched(), paid0, activated, request);
        state.Outstanding.ShouldBe(32_581_250UL);
        var paid = RentalDecisions.Decide(state, Pay(32_581_250, signature: "ext", at: T0.AddHours(1.1)));
        paid.Events[^1].ShouldBe(new RentalExtended(Id, request.Extension, 5, T0.AddHours(15), T0.AddHours(1.1)));
        var after = Given([Matched(), paid0, activated, request, .. paid.Events]);
        after.Hours.ShouldBe(15);
        after.AmountDue.ShouldBe(65_162_500UL + 32_581_250UL);
        after.Outstanding.ShouldBe(0UL);
    }

    [Fact]
    public void an_extension_beyond_what_the_asks_allow_is_refused_and_only_the_buyer_extends_or_ends()
    {
        var state = Given(Matched(maxHours: 12), new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0));
        var price = RentalPrice.Of(state.PerHourMicroUsd, 3, PaymentCurrencies.Iosd, null);

        RentalDecisions.Decide(state, new RequestExtension(Guid.NewGuid(), Buyer, 3, price, TimeSpan.FromMinutes(20), T0))
            .Rejection.ShouldBe(RentalRejection.Conflict);
        RentalDecisions.Decide(state, new RequestExtension(Guid.NewGuid(), "someone", 1, price, TimeSpan.FromMinutes(20), T0))
            .Rejection.ShouldBe(RentalRejection.NotOwner);
        RentalDecisions.Decide(state, new EndRental("someone", T0)).Rejection.ShouldBe(RentalRejection.NotOwner);
    }

    [Fact]
    public void the_buyer_ends_an_active_rental_early_and_open_unavailable_spans_close_with_it()
    {
        var device = DeviceA;
        var state = Given(Matched(), new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0));
        var down = RentalDecisions.Decide(state, new MarkDeviceServing(device, false, "Down: no heartbeat", T0.AddHours(1)));
        down.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalDeviceUnavailable>();
        state = Given([Matched(), new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0), .. down.Events]);

        var ended = RentalDecisions.Decide(state, new EndRental(Buyer, T0.AddHours(2)));

        ended.Events.ShouldBe([new RentalEnded(Id, RentalEndReason.BuyerEnded, Buyer, T0.AddHours(2))]);
        var after = Given([Matched(), new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0), .. down.Events, .. ended.Events]);
        after.Status.ShouldBe(RentalStatus.Terminated);
        after.Unavailable.ShouldBe([new UnavailableSpan(device, "Down: no heartbeat", T0.AddHours(1), T0.AddHours(2))]);
        after.AwaitsSettlement.ShouldBeTrue();
        RentalDecisions.Decide(after, new EndRental(Buyer, T0.AddHours(3))).Rejection.ShouldBe(RentalRejection.Conflict);
    }

    [Fact]
    public void an_unpaid_extension_lapses_when_its_window_closes_and_the_rental_keeps_its_hours()
    {
        var paid = new RentalPaymentReceived(Id, "sig0", "2", "payer", Iosd, Vault, 65_162_500, true, T0);
        var activated = new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0);
        var price = RentalPrice.Of(6_500_000, 2, PaymentCurrencies.Iosd, null);
        var request = RentalDecisions.Decide(Given(Matched(), paid, activated),
            new RequestExtension(Guid.NewGuid(), Buyer, 2, price, TimeSpan.FromMinutes(20), T0.AddHours(1))).Events.ShouldHaveSingleItem();
        var state = Given(Matched(), paid, activated, request);

        RentalDecisions.Decide(state, new CheckTimers(T0.AddHours(1).AddMinutes(19))).Events.ShouldBeEmpty();
        var lapsed = RentalDecisions.Decide(state, new CheckTimers(T0.AddHours(1).AddMinutes(20)));

        lapsed.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalExtensionLapsed>();
        lapsed.ReleasesDevices.ShouldBeFalse();
        var after = Given([Matched(), paid, activated, request, .. lapsed.Events]);
        after.Status.ShouldBe(RentalStatus.Active);
        after.Hours.ShouldBe(10);
        after.Outstanding.ShouldBe(0UL);
        after.EndsAt.ShouldBe(T0.AddHours(10));
    }

    [Fact]
    public void a_failed_device_terminates_an_active_rental_and_an_unpaid_one_is_left_to_its_window()
    {
        var paid = new RentalPaymentReceived(Id, "sig0", "2", "payer", Iosd, Vault, 65_162_500, true, T0);
        var activated = new RentalActivated(Id, 65_162_500, T0.AddHours(10), T0);

        var failed = RentalDecisions.Decide(Given(Matched(), paid, activated), new LoseDevice(DeviceB, RentalEndReason.DeviceFailed, "Failed: GPU fell off the bus", T0.AddHours(3)));
        var blocked = RentalDecisions.Decide(Given(Matched(), paid, activated), new LoseDevice(DeviceA, RentalEndReason.SupplierUnavailable, "Blocked: abuse", T0.AddHours(3)));

        var ended = failed.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalEnded>();
        ended.Reason.ShouldBe(RentalEndReason.DeviceFailed);
        ended.At.ShouldBe(T0.AddHours(3));
        failed.ReleasesDevices.ShouldBeTrue();
        Given(Matched(), paid, activated, ended).Status.ShouldBe(RentalStatus.Terminated);
        blocked.Events.ShouldHaveSingleItem().ShouldBeOfType<RentalEnded>().Reason.ShouldBe(RentalEndReason.SupplierUnavailable);
        RentalDecisions.Decide(Given(Matched()), new LoseDevice(DeviceA, RentalEndReason.DeviceFailed, "Failed", T0)).Events.ShouldBeEmpty();
        RentalDecisions.Decide(Given(Matched(), paid, activated), new LoseDevice(Guid.NewGuid(), RentalEndReason.DeviceFailed, "Failed", T0))
            .Rejection.ShouldBe(RentalRejection.Invalid);
    }
}
