using FsCheck.Fluent;
using IoNet.Ledger.Market;

namespace IoNet.MarketplaceApi.Tests.Matching;

/// <summary>The generated histories reach the cases the properties are about (so no property holds vacuously).</summary>
public sealed class ScenarioCoverageTests
{
    [Fact]
    public void generated_scenarios_reach_every_kind_of_fill_and_refusal()
    {
        // A fixed seed is not needed: 300 histories reach each case many times over (checked: 10 to 1000 each).
        var runs = MarketArbitraries.Scenarios().Generator.Sample(60, 300).Select(ScenarioRun.Of).ToArray();

        var fills = runs.SelectMany(r => r.Fills).ToArray();
        var placed = runs.SelectMany(r => r.Steps).ToArray();
        var counts = new Dictionary<string, int>
        {
            ["fills"] = fills.Length,
            ["multi-device fills"] = fills.Count(f => f.Fill.Devices.Count > 1),
            ["fills across suppliers"] = fills.Count(f => f.Fill.Devices.Select(d => d.Supplier).Distinct().Count() > 1),
            ["single-supplier fills"] = fills.Count(f => f.Before.Bids.Single(b => b.BidId == f.Fill.BidId).SingleSupplier),
            ["class fills"] = fills.Count(f => f.Before.Bids.Single(b => b.BidId == f.Fill.BidId).GpuClass is not null),
            ["fills of resting bids by a new ask"] = placed.Count(s => s.Result.Events is [AskPlaced, BidFilled, ..]),
            ["fills by eligibility"] = placed.Count(s => s.Result.Events is [AskEligibilityChanged, BidFilled, ..]),
            ["fills at release"] = placed.Count(s => s.Result.Events is [DevicesReleased, .., BidFilled]),
            ["bids resting"] = placed.Count(s => s.Result.Events is [BidPlaced]),
            ["bids expired"] = placed.Count(s => s.Result.Events.OfType<BidExpired>().Any()),
            ["asks expired"] = placed.Count(s => s.Result.Events.OfType<AskExpired>().Any()),
            ["hired asks withdrawn"] = placed.Count(s => s.Result.Events is [OrderCancelled { Side: OrderSide.Ask }]
                && s.Before.Asks.Any(a => a.RentalId is not null && a.AskId == ((OrderCancelled)s.Result.Events[0]).OrderId)),
            ["refusals"] = placed.Count(s => !s.Result.Accepted),
        };
        foreach (var refusal in placed.Where(s => !s.Result.Accepted).GroupBy(s => $"{s.Command.GetType().Name} {s.Result.Rejection!.Code}"))
            TestContext.Current.TestOutputHelper?.WriteLine($"({refusal.Key}: {refusal.Count()})");

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, counts.Select(c => $"{c.Key}: {c.Value}")));
        counts.Where(c => c.Value == 0).Select(c => c.Key).ShouldBeEmpty(string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
    }
}
