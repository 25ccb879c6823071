using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;
using static IoNet.MarketplaceApi.Tests.Matching.Market;

namespace IoNet.MarketplaceApi.Tests.Matching;

/// <summary>Given (the events of a history) / When (a command) / Then (the events it journals).</summary>
public sealed class OrderBookEngineTests
{
    [Fact]
    public void a_bid_fills_at_once_with_the_cheapest_device_and_pays_the_asked_price()
    {
        var cheap = Ask(1, Usd(1.80m));
        var given = Given(Ask(2, Usd(2.10m)), cheap, Ask(3, Usd(1.95m)));
        var bid = Bid(1, Usd(2.50m), hours: 3);

        var (_, result) = When(given, bid);

        var rental = RentalIds.ForBid(bid.BidId);
        result.ShouldBeEvents(
            new BidPlaced(bid.BidId, "buyer-1", "H100", null, 1, Usd(2.50m), 3, [], ConnectivityTier.Low,
                SecurityTier.Standard, false, PaymentCurrencies.Usdc, bid.ExpiresAt, T0),
            new BidFilled(rental, bid.BidId, "buyer-1", 1, 3, PaymentCurrencies.Usdc, [Hired(cheap)],
                Usd(1.80m), Usd(5.40m), T0));
    }

    [Fact]
    public void a_bid_that_cannot_fill_rests_and_fills_when_a_fitting_ask_arrives()
    {
        var bid = Bid(1, Usd(2m), gpus: 2);
        var given = Given(Ask(1, Usd(3m), gpus: 2), bid);
        var arriving = Ask(2, Usd(1.5m), gpus: 2, now: T0.AddMinutes(5));

        var (engine, result) = When(given, arriving);

        result.Events.Count.ShouldBe(2);
        result.Events[0].ShouldBeOfType<AskPlaced>();
        var fill = result.Fill();
        fill.BidId.ShouldBe(bid.BidId);
        fill.Devices.ShouldHaveSingleItem().DeviceId.ShouldBe(arriving.DeviceId);
        fill.At.ShouldBe(T0.AddMinutes(5));
        engine.BidCount.ShouldBe(0);
        engine.FindRental(fill.RentalId)!.DeviceIds.ShouldBe([arriving.DeviceId]);
    }

    [Fact]
    public void a_cluster_bid_hires_whole_devices_summing_to_exactly_its_gpu_count()
    {
        // The 8-GPU box is the cheapest per GPU but would give the buyer GPUs it did not ask for.
        var given = Given(
            Ask(1, Usd(1.00m), gpus: 8, supplier: "supplier-a"),
            Ask(2, Usd(2.00m), gpus: 4, supplier: "supplier-b"),
            Ask(3, Usd(2.20m), gpus: 2, supplier: "supplier-c"),
            Ask(4, Usd(2.10m), gpus: 1, supplier: "supplier-a"),
            Ask(5, Usd(2.50m), gpus: 1, supplier: "supplier-b"));

        var (_, result) = When(given, Bid(1, Usd(3m), gpus: 6));

        var fill = result.Fill();
        fill.DeviceIds().Order().ShouldBe([DeviceId(2), DeviceId(3)]);
        fill.Devices.Sum(d => d.GpuCount).ShouldBe(6);
        fill.TotalPerHour.ShouldBe(4 * Usd(2.00m) + 2 * Usd(2.20m));
    }

    [Fact]
    public void the_cheapest_set_wins_even_when_it_takes_more_devices()
    {
        var given = Given(
            Ask(1, Usd(2.00m), gpus: 2),
            Ask(2, Usd(1.50m), gpus: 1, supplier: "supplier-b"),
            Ask(3, Usd(1.60m), gpus: 1, supplier: "supplier-c"));

        var (_, result) = When(given, Bid(1, Usd(3m), gpus: 2));

        result.Fill().DeviceIds().Order().ShouldBe([DeviceId(2), DeviceId(3)]);
        result.Fill().TotalPerHour.ShouldBe(Usd(3.10m));
    }

    [Fact]
    public void between_equally_cheap_devices_the_earlier_ask_wins()
    {
        var given = Given(Ask(1, Usd(2m), supplier: "supplier-b"), Ask(2, Usd(2m), supplier: "supplier-a"));

        var (_, result) = When(given, Bid(1, Usd(2m)));

        result.Fill().DeviceIds().ShouldBe([DeviceId(1)]);
    }

    [Fact]
    public void between_equally_cheap_sets_the_one_with_the_earliest_ask_wins()
    {
        // Two 1-GPU asks at 2.00 (placed first and third) against one 2-GPU ask at 2.00 (placed second): same cost;
        // the pair holds the earliest ask of those the sets differ in.
        var given = Given(Ask(1, Usd(2m)), Ask(2, Usd(2m), gpus: 2), Ask(3, Usd(2m)));

        var (_, result) = When(given, Bid(1, Usd(2m), gpus: 2));

        result.Fill().DeviceIds().ShouldBe([DeviceId(1), DeviceId(3)]);
    }

    [Fact]
    public void a_single_supplier_bid_takes_one_suppliers_devices_even_when_a_mixed_set_is_cheaper()
    {
        var given = Given(
            Ask(1, Usd(1.00m), gpus: 2, supplier: "supplier-a"),
            Ask(2, Usd(1.10m), gpus: 2, supplier: "supplier-b"),
            Ask(3, Usd(2.00m), gpus: 2, supplier: "supplier-b"),
            Ask(4, Usd(2.50m), gpus: 2, supplier: "supplier-a"));

        var (_, mixed) = When(given, Bid(1, Usd(3m), gpus: 4));
        var (_, single) = When(given, Bid(1, Usd(3m), gpus: 4, singleSupplier: true));

        mixed.Fill().DeviceIds().Order().ShouldBe([DeviceId(1), DeviceId(2)]);
        single.Fill().DeviceIds().Order().ShouldBe([DeviceId(2), DeviceId(3)]);
        single.Fill().Devices.Select(d => d.Supplier).Distinct().ShouldBe(["supplier-b"]);
    }

    [Fact]
    public void a_single_supplier_bid_rests_when_no_one_supplier_has_enough()
    {
        var given = Given(Ask(1, Usd(1m), supplier: "supplier-a"), Ask(2, Usd(1m), supplier: "supplier-b"));

        var (engine, result) = When(given, Bid(1, Usd(3m), gpus: 2, singleSupplier: true));

        result.Events.ShouldHaveSingleItem().ShouldBeOfType<BidPlaced>();
        engine.BidCount.ShouldBe(1);
    }

    [Fact]
    public void a_bid_for_a_class_takes_devices_of_any_model_in_that_class()
    {
        var given = Given(
            Ask(1, Usd(1.20m), model: "A100-80GB", gpuClass: "datacenter"),
            Ask(2, Usd(0.40m), model: "RTX-4090", gpuClass: "consumer"),
            Ask(3, Usd(2.00m), model: "H100", gpuClass: "datacenter"));

        var (_, result) = When(given, Bid(1, Usd(3m), gpus: 2, model: null, gpuClass: "datacenter"));

        result.Fill().Devices.Select(d => d.GpuModel).Order().ShouldBe(["A100-80GB", "H100"]);
    }

    private static readonly PlaceBid FittingBid = Bid(1, Usd(5m), gpus: 2, hours: 2, expires: T0.AddDays(1));

    public static TheoryData<string, PlaceBid> BidsTheDeviceDoesNotFit => new()
    {
        { "price above the bid's maximum", FittingBid with { MaxPricePerGpuHour = Usd(1.99m) } },
        { "another model", FittingBid with { GpuModel = "A100-80GB" } },
        { "another class", FittingBid with { GpuModel = null, GpuClass = "consumer" } },
        { "country not allowed", FittingBid with { AllowedCountries = ["DE", "FR"] } },
        { "connectivity below the minimum", FittingBid with { MinConnectivity = ConnectivityTier.Ultra } },
        { "security below the minimum", FittingBid with { MinSecurity = SecurityTier.Soc2 } },
        { "fewer hours than the ask's minimum", FittingBid with { Hours = 1 } },
        { "more hours than the ask's maximum", FittingBid with { Hours = 9 } },
        { "rental would outlast the availability", FittingBid with { Hours = 8, Now = T0.AddHours(3) } },
        { "currency not accepted", FittingBid with { Currency = PaymentCurrencies.Io } },
        { "the supplier's own device", FittingBid with { Buyer = "supplier-a" } },
        { "device larger than the GPUs asked for", FittingBid with { GpuCount = 1 } },
    };

    // Two GPUs in the US, High and Verified, rentals of 2 to 8 hours, available 10 hours, paid in USDC or IOSD.
    private static readonly PlaceAsk ConstrainedAsk = Ask(
        1, Usd(2m), gpus: 2, connectivity: ConnectivityTier.High, security: SecurityTier.EndToEndEncrypted, minHours: 2,
        maxHours: 8, until: T0.AddHours(10), currencies: PaymentCurrencies.Usdc | PaymentCurrencies.Iosd);

    [Theory]
    [MemberData(nameof(BidsTheDeviceDoesNotFit))]
    public void a_device_outside_any_of_the_bids_constraints_is_not_hired(string why, PlaceBid bid)
    {
        var (_, result) = When(Given(ConstrainedAsk), bid);

        result.Events.ShouldHaveSingleItem().ShouldBeOfType<BidPlaced>(why);
    }

    [Fact]
    public void the_device_of_the_constraint_examples_is_hired_by_a_bid_it_fits()
    {
        var (_, result) = When(Given(ConstrainedAsk), FittingBid);

        result.Fill().DeviceIds().ShouldBe([DeviceId(1)]);
    }

    [Fact]
    public void a_device_inside_every_constraint_is_hired()
    {
        var given = Given(Ask(
            1, Usd(2m), country: "DE", connectivity: ConnectivityTier.High, security: SecurityTier.EndToEndEncrypted,
            minHours: 2, maxHours: 8, until: T0.AddHours(10), currencies: PaymentCurrencies.Iosd));

        var (_, result) = When(given, Bid(
            1, Usd(2m), hours: 8, countries: ["fr", "de"], minConnectivity: ConnectivityTier.High,
            minSecurity: SecurityTier.EndToEndEncrypted, currency: PaymentCurrencies.Iosd, expires: T0.AddDays(1),
            now: T0.AddHours(2)));

        result.Fill().DeviceIds().ShouldBe([DeviceId(1)]);
        result.Events[0].ShouldBeOfType<BidPlaced>().AllowedCountries.ShouldBe(["DE", "FR"]);
    }

    [Fact]
    public void an_ineligible_device_stays_in_the_book_but_is_not_hired_until_it_becomes_eligible()
    {
        var bid = Bid(1, Usd(3m));
        var given = Given(Ask(1, Usd(2m), eligible: false), bid);
        OrderBookEngine.Rebuild(given).FindAsk(AskId(1))!.Eligible.ShouldBeFalse();

        var (engine, result) = When(given, new ChangeDeviceEligibility(DeviceId(1), true, T0.AddMinutes(1)));

        result.Events[0].ShouldBe(new AskEligibilityChanged(AskId(1), DeviceId(1), true, T0.AddMinutes(1)));
        result.Fill().BidId.ShouldBe(bid.BidId);
        engine.HiredDeviceCount.ShouldBe(1);
    }

    [Fact]
    public void a_device_that_loses_eligibility_is_not_hired()
    {
        var given = Given(Ask(1, Usd(2m)), new ChangeDeviceEligibility(DeviceId(1), false, T0));

        var (engine, result) = When(given, Bid(1, Usd(3m)));

        result.Events.ShouldHaveSingleItem().ShouldBeOfType<BidPlaced>();
        engine.BestAskPrice("H100").ShouldBeNull();
        engine.AskCount.ShouldBe(1);
    }

    [Fact]
    public void released_devices_return_to_the_book_and_fill_resting_bids()
    {
        var first = Bid(1, Usd(3m), gpus: 2);
        var waiting = Bid(2, Usd(3m), gpus: 1, buyer: "buyer-2", expires: T0.AddDays(1));
        var given = Given(Ask(1, Usd(2m)), Ask(2, Usd(2m)), first, waiting);
        var rental = RentalIds.ForBid(first.BidId);

        var (engine, result) = When(given, new ReleaseDevices(rental, T0.AddHours(2)));

        var released = result.Events[0].ShouldBeOfType<DevicesReleased>();
        released.RentalId.ShouldBe(rental);
        released.DeviceIds.ShouldBe([DeviceId(1), DeviceId(2)]);
        result.Fill().BidId.ShouldBe(waiting.BidId);
        result.Fill().DeviceIds().ShouldBe([DeviceId(1)]);
        engine.FindRental(rental).ShouldBeNull();
        engine.FindAsk(AskId(2))!.RentalId.ShouldBeNull();
    }

    [Fact]
    public void resting_bids_are_tried_highest_price_first_then_earliest()
    {
        var given = Given(
            Bid(1, Usd(2m), buyer: "buyer-1"),
            Bid(2, Usd(3m), buyer: "buyer-2"),
            Bid(3, Usd(3m), buyer: "buyer-3"),
            Bid(4, Usd(4m), buyer: "buyer-4", model: null, gpuClass: "consumer"));

        var (engine, first) = When(given, Ask(1, Usd(1m)));
        var second = engine.Handle(Ask(2, Usd(1m)));
        var third = engine.Handle(Ask(3, Usd(1m)));

        first.Fill().BidId.ShouldBe(BidId(2));
        second.Fill().BidId.ShouldBe(BidId(3));
        third.Fill().BidId.ShouldBe(BidId(1));
        engine.BidCount.ShouldBe(1);
    }

    [Fact]
    public void a_resting_bid_for_a_class_competes_with_bids_for_the_model()
    {
        var given = Given(Bid(1, Usd(2m)), Bid(2, Usd(3m), buyer: "buyer-2", model: null, gpuClass: "datacenter"));

        var (_, result) = When(given, Ask(1, Usd(1m)));

        result.Fill().BidId.ShouldBe(BidId(2));
    }

    [Fact]
    public void only_the_owner_may_cancel_an_order()
    {
        var given = Given(Ask(1, Usd(2m), supplier: "supplier-a"), Bid(1, Usd(1m), buyer: "buyer-1"));

        When(given, new CancelOrder(AskId(1), "buyer-1", T0)).Result.ShouldBeRejected(RejectionCode.NotOwner);
        When(given, new CancelOrder(BidId(1), "supplier-a", T0)).Result.ShouldBeRejected(RejectionCode.NotOwner);
        When(given, new CancelOrder(AskId(9), "supplier-a", T0)).Result.ShouldBeRejected(RejectionCode.NotFound);
        When(given, new CancelOrder(AskId(1), "supplier-a", T0)).Result
            .ShouldBeEvents(new OrderCancelled(AskId(1), OrderSide.Ask, "supplier-a", T0));
        var (engine, result) = When(given, new CancelOrder(BidId(1), "buyer-1", T0));
        result.ShouldBeEvents(new OrderCancelled(BidId(1), OrderSide.Bid, "buyer-1", T0));
        engine.BidCount.ShouldBe(0);
    }

    [Fact]
    public void a_hired_device_whose_ask_was_cancelled_leaves_the_book_at_release()
    {
        var bid = Bid(1, Usd(3m));
        var given = Given(Ask(1, Usd(2m)), bid, new CancelOrder(AskId(1), "supplier-a", T0));
        var rental = RentalIds.ForBid(bid.BidId);
        OrderBookEngine.Rebuild(given).FindRental(rental)!.DeviceIds.ShouldBe([DeviceId(1)]);

        var (engine, result) = When(given, new ReleaseDevices(rental, T0.AddHours(1)));

        result.Events.ShouldHaveSingleItem().ShouldBeOfType<DevicesReleased>();
        engine.AskCount.ShouldBe(0);
        engine.Handle(Ask(1, Usd(2m))).Accepted.ShouldBeTrue();
    }

    [Fact]
    public void a_device_cannot_have_two_asks_or_be_offered_while_hired()
    {
        var given = Given(Ask(1, Usd(2m)), Bid(1, Usd(3m)));

        When(given, Ask(1, Usd(2m)) with { AskId = AskId(2) }).Result.ShouldBeRejected(RejectionCode.Conflict);
        When(given, Ask(2, Usd(2m)) with { AskId = AskId(1) }).Result.ShouldBeRejected(RejectionCode.Duplicate);
        When(given, Bid(2, Usd(3m)) with { BidId = AskId(1) }).Result.ShouldBeRejected(RejectionCode.Duplicate);
    }

    [Fact]
    public void advancing_the_clock_expires_bids_and_asks_that_reached_their_time()
    {
        var given = Given(
            Bid(1, Usd(1m), expires: T0.AddHours(1)),
            Bid(2, Usd(1m), expires: T0.AddHours(3)),
            Ask(1, Usd(2m), until: T0.AddHours(2)),
            Ask(2, Usd(2m), until: T0.AddHours(5)));

        var (engine, result) = When(given, new AdvanceClock(T0.AddHours(2)));

        result.ShouldBeEvents(
            new BidExpired(BidId(1), "buyer-1", T0.AddHours(2)),
            new AskExpired(AskId(1), DeviceId(1), "supplier-a", T0.AddHours(2)));
        engine.BidCount.ShouldBe(1);
        engine.AskCount.ShouldBe(1);
        engine.Handle(new AdvanceClock(T0.AddHours(2))).ShouldBeEvents();
    }

    [Fact]
    public void a_hired_device_past_its_availability_expires_when_released()
    {
        var bid = Bid(1, Usd(3m), hours: 2);
        var given = Given(Ask(1, Usd(2m), until: T0.AddHours(3)), bid, new AdvanceClock(T0.AddHours(4)));
        var rental = RentalIds.ForBid(bid.BidId);

        var (engine, result) = When(given, new ReleaseDevices(rental, T0.AddHours(4)));

        result.ShouldBeEvents(
            new DevicesReleased(rental, [DeviceId(1)], T0.AddHours(4)),
            new AskExpired(AskId(1), DeviceId(1), "supplier-a", T0.AddHours(4)));
        engine.AskCount.ShouldBe(0);
    }

    [Fact]
    public void an_expired_but_not_yet_advanced_bid_is_not_filled()
    {
        var given = Given(Bid(1, Usd(3m), expires: T0.AddHours(1)));

        var (_, result) = When(given, Ask(1, Usd(2m), now: T0.AddHours(1)));

        result.Events.ShouldHaveSingleItem().ShouldBeOfType<AskPlaced>();
    }

    [Fact]
    public void eligibility_of_a_device_without_an_ask_or_unchanged_is_refused()
    {
        var given = Given(Ask(1, Usd(2m)));

        When(given, new ChangeDeviceEligibility(DeviceId(2), true, T0)).Result.ShouldBeRejected(RejectionCode.NotFound);
        When(given, new ChangeDeviceEligibility(DeviceId(1), true, T0)).Result.ShouldBeRejected(RejectionCode.Unchanged);
        When(given, new ReleaseDevices(Guid.NewGuid(), T0)).Result.ShouldBeRejected(RejectionCode.NotFound);
    }

    public static TheoryData<string, IMarketCommand> InvalidCommands => new()
    {
        { "no GPUs", Ask(1, Usd(1m), gpus: 0) },
        { "too many GPUs per device", Ask(1, Usd(1m), gpus: MarketLimits.MaxGpusPerDevice + 1) },
        { "free", Ask(1, 0) },
        { "above the price limit", Ask(1, MarketLimits.MaxPricePerGpuHour + 1) },
        { "min above max hours", Ask(1, Usd(1m), minHours: 5, maxHours: 4) },
        { "unavailable for the minimum", Ask(1, Usd(1m), minHours: 5, until: T0.AddHours(4)) },
        { "no currency", Ask(1, Usd(1m), currencies: PaymentCurrencies.None) },
        { "bad country", Ask(1, Usd(1m), country: "USA") },
        { "unknown tier", Ask(1, Usd(1m), connectivity: (ConnectivityTier)9) },
        { "no supplier", Ask(1, Usd(1m), supplier: " ") },
        { "model and class", Bid(1, Usd(1m), model: "H100", gpuClass: "datacenter") },
        { "neither model nor class", Bid(1, Usd(1m), model: null) },
        { "too many GPUs per bid", Bid(1, Usd(1m), gpus: MarketLimits.MaxGpusPerBid + 1) },
        { "zero hours", Bid(1, Usd(1m), hours: 0) },
        { "two currencies", Bid(1, Usd(1m), currency: PaymentCurrencies.Usdc | PaymentCurrencies.Io) },
        { "expired already", Bid(1, Usd(1m), expires: T0) },
        { "bad allowed country", Bid(1, Usd(1m), countries: ["U1"]) },
    };

    [Theory]
    [MemberData(nameof(InvalidCommands))]
    public void an_invalid_order_is_refused_with_a_reason_and_changes_nothing(string why, IMarketCommand command)
    {
        var engine = new OrderBookEngine();
        var before = engine.Snapshot();

        var result = engine.Handle(command);

        result.ShouldBeRejected(RejectionCode.Invalid);
        result.Rejection!.Reason.ShouldNotBeNullOrWhiteSpace(why);
        engine.Snapshot().ShouldBe(before);
    }

    [Fact]
    public void market_data_shows_best_prices_depth_and_the_last_fill()
    {
        var engine = OrderBookEngine.Rebuild(Given(
            Ask(1, Usd(2.00m), gpus: 1),
            Ask(2, Usd(2.00m), gpus: 4, supplier: "supplier-b"),
            Ask(3, Usd(2.40m), gpus: 2),
            Ask(4, Usd(1.00m), gpus: 1, model: "RTX-4090", gpuClass: "consumer"),
            Bid(1, Usd(1.50m), gpus: 8),
            Bid(2, Usd(1.20m), gpus: 2, buyer: "buyer-2"),
            Bid(3, Usd(5.00m), gpus: 3, buyer: "buyer-3")));

        engine.LastFillPrice("H100").ShouldBe((Usd(2.00m) + 2 * Usd(2.40m)) / 3);
        engine.BestAskPrice("H100").ShouldBe(Usd(2.00m));
        engine.BestBidPrice("H100").ShouldBe(Usd(1.50m));
        engine.BestClassAskPrice("consumer").ShouldBe(Usd(1.00m));
        engine.BestClassBidPrice("consumer").ShouldBeNull();
        engine.GpuModels().ShouldBe(["H100", "RTX-4090"]);
        engine.Depth("H100", 5).ShouldBe(new MarketDepth(
            "H100", [new DepthLevel(Usd(2.00m), 1, 4)], [new DepthLevel(Usd(1.50m), 1, 8), new DepthLevel(Usd(1.20m), 1, 2)]));
    }

    [Fact]
    public void the_rental_id_is_the_uuid_v5_of_the_bid_id()
    {
        // Python: uuid.uuid5(UUID('5d7c1e8a-2f4b-4c3e-9a61-0e8b3f7d2c55'), '0000000b000000000000000000000001')
        RentalIds.ForBid(BidId(1)).ShouldBe(new Guid("c753d8cd-70d0-56f6-9843-9815b951b19d"));
        for (var i = 0; i < 100; i++)
        {
            var bid = Guid.NewGuid();
            RentalIds.ForBid(bid).ShouldBe(UUIDNext.Uuid.NewNameBased(RentalIds.Namespace, bid.ToString("N")));
        }
    }

    [Fact]
    public void the_book_rebuilt_from_the_journal_equals_the_book_that_wrote_it()
    {
        var engine = new OrderBookEngine();
        var journal = new List<IMarketEvent>();
        IMarketCommand[] history =
        [
            Ask(1, Usd(2m), gpus: 2), Ask(2, Usd(1m), eligible: false), Bid(1, Usd(3m), gpus: 2),
            Bid(2, Usd(3m), countries: ["DE"], buyer: "buyer-2"), new ChangeDeviceEligibility(DeviceId(2), true, T0),
            Ask(3, Usd(2m), country: "DE"), new CancelOrder(AskId(1), "supplier-a", T0),
            new ReleaseDevices(RentalIds.ForBid(BidId(1)), T0.AddHours(1)), new AdvanceClock(T0.AddHours(2)),
        ];
        foreach (var command in history) journal.AddRange(engine.Handle(command).Events);

        OrderBookEngine.Rebuild(journal).Snapshot().ShouldBe(engine.Snapshot());
    }
}
