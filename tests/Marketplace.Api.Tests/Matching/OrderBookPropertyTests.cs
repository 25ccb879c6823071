using System.Text.Json;
using FsCheck.Xunit;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;

namespace IoNet.MarketplaceApi.Tests.Matching;

/// <summary>
/// Properties of the engine over generated histories (<see cref="MarketArbitraries"/>): asks, bids, cancels,
/// eligibility changes, releases and clock advances on a small market where prices tie often.
/// </summary>
public sealed class OrderBookPropertyTests
{
    private const int Tests = 150;

    [Property(Arbitrary = [typeof(MarketArbitraries)], MaxTest = Tests)]
    public void no_device_is_ever_in_two_active_rentals(Scenario scenario)
    {
        var run = ScenarioRun.Of(scenario);

        var rentalOf = new Dictionary<Guid, Guid>();
        var active = new Dictionary<Guid, Guid[]>();
        foreach (var e in run.Journal)
        {
            if (e is BidFilled fill)
            {
                foreach (var device in fill.Devices)
                {
                    rentalOf.ContainsKey(device.DeviceId).ShouldBeFalse($"device {device.DeviceId} hired twice");
                    rentalOf[device.DeviceId] = fill.RentalId;
                }
                active.Add(fill.RentalId, [.. fill.Devices.Select(d => d.DeviceId)]);
            }
            else if (e is DevicesReleased released)
            {
                active.Remove(released.RentalId, out var devices).ShouldBeTrue();
                released.DeviceIds.ShouldBe(devices!);
                foreach (var device in devices!) rentalOf.Remove(device);
            }
        }
        run.Engine.HiredDeviceCount.ShouldBe(rentalOf.Count);
        run.Engine.RentalCount.ShouldBe(active.Count);
    }

    [Property(Arbitrary = [typeof(MarketArbitraries)], MaxTest = Tests)]
    public void every_fill_is_within_its_bids_price_and_constraints_and_hires_exactly_its_gpu_count(Scenario scenario)
    {
        var run = ScenarioRun.Of(scenario);

        foreach (var (fill, before, now) in run.Fills)
        {
            var bid = before.Bids.Single(b => b.BidId == fill.BidId);
            fill.Devices.Sum(d => d.GpuCount).ShouldBe(bid.GpuCount);
            fill.GpuCount.ShouldBe(bid.GpuCount);
            fill.Hours.ShouldBe(bid.Hours);
            fill.Currency.ShouldBe(bid.Currency);
            fill.RentalId.ShouldBe(RentalIds.ForBid(bid.BidId));
            foreach (var device in fill.Devices)
            {
                var ask = before.Asks.Single(a => a.AskId == device.AskId);
                MatchingOracle.Eligible(ask, bid, now).ShouldBeTrue($"{ask} does not fit {bid}");
                device.PricePerGpuHour.ShouldBe(ask.PricePerGpuHour);
                device.PricePerGpuHour.ShouldBeLessThanOrEqualTo(bid.MaxPricePerGpuHour);
                device.GpuCount.ShouldBe(ask.GpuCount);
                device.Supplier.ShouldBe(ask.Supplier);
            }
            if (bid.SingleSupplier) fill.Devices.Select(d => d.Supplier).Distinct().Count().ShouldBe(1);
            fill.Devices.Select(d => d.DeviceId).Distinct().Count().ShouldBe(fill.Devices.Count);
            fill.TotalPerHour.ShouldBe(fill.Devices.Aggregate(0UL, (sum, d) => sum + d.PricePerGpuHour * (ulong)d.GpuCount));
            fill.Total.ShouldBe(fill.TotalPerHour * (ulong)fill.Hours);
        }
    }

    [Property(Arbitrary = [typeof(MarketArbitraries)], MaxTest = Tests)]
    public void every_fill_is_the_set_the_brute_force_picks_and_no_resting_bid_could_fill(Scenario scenario)
    {
        var run = ScenarioRun.Of(scenario);

        foreach (var (fill, before, now) in run.Fills)
        {
            var bid = before.Bids.Single(b => b.BidId == fill.BidId);
            var expected = MatchingOracle.BestSet(before.Asks, bid, now);
            expected.ShouldNotBeNull($"the engine filled {bid} but no set fits");
            fill.Devices.Select(d => d.AskId).ShouldBe(expected.Select(a => a.AskId), $"for {bid}");
        }
        foreach (var step in run.Steps)
        {
            foreach (var bid in step.After.Bids.Where(b => b.ExpiresAt > step.Command.Now))
                MatchingOracle.BestSet(step.After.Asks, bid, step.Command.Now)
                    .ShouldBeNull($"{bid} rests after {step.Command} though it could fill");
        }
    }

    [Property(Arbitrary = [typeof(MarketArbitraries)], MaxTest = 300)]
    public void on_larger_cluster_bids_the_engine_picks_what_the_brute_force_picks(StaticBook book)
    {
        var run = ScenarioRun.Of(book);

        var placed = run.Steps[^1];
        var bid = MatchingOracle.ViewOf((PlaceBid)placed.Command);
        var expected = MatchingOracle.BestSet(placed.Before.Asks, bid, placed.Command.Now);
        var fill = placed.Result.Events.OfType<BidFilled>().SingleOrDefault();
        if (expected is null)
        {
            fill.ShouldBeNull();
            return;
        }
        fill.ShouldNotBeNull($"the brute force fills {bid} with {expected.Length} asks");
        fill.Devices.Select(d => d.AskId).ShouldBe(expected.Select(a => a.AskId));
        fill.TotalPerHour.ShouldBe(MatchingOracle.Cost(expected));
    }

    [Property(Arbitrary = [typeof(MarketArbitraries)], MaxTest = Tests)]
    public void price_time_priority_holds_for_bids_and_for_asks(Scenario scenario)
    {
        var run = ScenarioRun.Of(scenario);

        foreach (var (fill, before, now) in run.Fills)
        {
            var bid = before.Bids.Single(b => b.BidId == fill.BidId);
            // Bids: none ahead of the filled one (higher maximum, or equal and earlier) could have filled.
            foreach (var ahead in before.Bids.Where(b => b.ExpiresAt > now && (b.MaxPricePerGpuHour > bid.MaxPricePerGpuHour
                         || (b.MaxPricePerGpuHour == bid.MaxPricePerGpuHour && b.TimePriority < bid.TimePriority))))
                MatchingOracle.BestSet(before.Asks, ahead, now).ShouldBeNull($"{ahead} was ahead of {bid}");
            // Asks: no fitting ask of the same size left out was cheaper, or as cheap and earlier, than one hired.
            var hired = fill.Devices.Select(d => before.Asks.Single(a => a.AskId == d.AskId)).ToArray();
            foreach (var ask in hired)
            {
                var better = before.Asks.Where(a => MatchingOracle.Eligible(a, bid, now) && a.GpuCount == ask.GpuCount
                    && !hired.Contains(a)
                    && (a.PricePerGpuHour < ask.PricePerGpuHour
                        || (a.PricePerGpuHour == ask.PricePerGpuHour && a.TimePriority < ask.TimePriority)))
                    .Where(a => !bid.SingleSupplier || a.Supplier == ask.Supplier);
                better.ShouldBeEmpty($"{ask} was hired for {bid}");
            }
        }
    }

    [Property(Arbitrary = [typeof(MarketArbitraries)], MaxTest = Tests)]
    public void the_book_rebuilt_from_its_events_equals_the_book_before(Scenario scenario)
    {
        var run = ScenarioRun.Of(scenario);

        var before = run.Engine.Snapshot();
        OrderBookEngine.Rebuild(run.Journal).Snapshot().ShouldBe(before);
        // The journal as stored: every event through JSON and back.
        var stored = run.Journal.Select(e => (IMarketEvent)JsonSerializer.Deserialize(
            JsonSerializer.Serialize(e, e.GetType()), e.GetType())!);
        var rebuilt = OrderBookEngine.Rebuild(stored);
        rebuilt.Snapshot().ShouldBe(before);
        // And it goes on deciding as the original does.
        var next = new AdvanceClock(run.Steps.Count > 0 ? run.Steps[^1].Command.Now.AddHours(3) : Market.T0);
        rebuilt.Handle(next).Events.Count.ShouldBe(run.Engine.Handle(next).Events.Count);
        rebuilt.Snapshot().ShouldBe(run.Engine.Snapshot());
    }

    [Property(Arbitrary = [typeof(MarketArbitraries)], MaxTest = Tests)]
    public void a_rejected_command_changes_nothing(Scenario scenario)
    {
        var run = ScenarioRun.Of(scenario);

        foreach (var step in run.Steps.Where(s => !s.Result.Accepted))
        {
            step.After.ShouldBe(step.Before, $"{step.Command} was rejected ({step.Result.Rejection})");
            step.Result.Events.ShouldBeEmpty();
        }
    }
}
