using IoNet.Ledger.Devices;
using FsCheck;
using FsCheck.Fluent;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;

namespace IoNet.MarketplaceApi.Tests.Matching;

/// <summary>One generated step: a kind and seven small numbers that pick its details against the book as it is.</summary>
public sealed record ScenarioStep(int Kind, int A, int B, int C, int D, int E, int F, int G)
{
    public override string ToString() => $"{Kind}:{A},{B},{C},{D},{E},{F},{G}";
}

/// <summary>A generated history of commands on a small market (10 devices, 3 suppliers, 3 models in 2 classes).</summary>
public sealed record Scenario(ScenarioStep[] Steps)
{
    public override string ToString() => $"[{string.Join(" ", Steps.Select(s => s.ToString()))}]";
}

/// <summary>A generated static book of asks and one bid to place on it (larger GPU counts than the scenarios).</summary>
public sealed record StaticBook(ScenarioStep[] Asks, ScenarioStep Bid)
{
    public override string ToString() => $"asks [{string.Join(" ", Asks.Select(s => s.ToString()))}] bid {Bid}";
}

/// <summary>The FsCheck generators of the engine's property tests, with shrinking by dropping steps.</summary>
public static class MarketArbitraries
{
    private static Gen<ScenarioStep> Step(Gen<int> kind) =>
        from k in kind
        from n in Gen.ArrayOf(Gen.Choose(0, 9999), 7)
        select new ScenarioStep(k, n[0], n[1], n[2], n[3], n[4], n[5], n[6]);

    public static Arbitrary<Scenario> Scenarios()
    {
        var kind = Gen.Frequency(
            (30, Gen.Constant(ScenarioRun.PlaceAskKind)), (30, Gen.Constant(ScenarioRun.PlaceBidKind)),
            (10, Gen.Constant(ScenarioRun.CancelKind)), (10, Gen.Constant(ScenarioRun.EligibilityKind)),
            (15, Gen.Constant(ScenarioRun.ReleaseKind)), (5, Gen.Constant(ScenarioRun.AdvanceKind)));
        var steps = Gen.Sized(size => Gen.Choose(1, Math.Clamp(size, 1, 80)))
            .SelectMany(length => Gen.ArrayOf(Step(kind), length));
        return Arb.From(steps.Select(s => new Scenario(s)), scenario => Shrink(scenario.Steps).Select(s => new Scenario(s)));
    }

    public static Arbitrary<StaticBook> StaticBooks()
    {
        var book = from count in Gen.Choose(1, 13)
                   from asks in Gen.ArrayOf(Step(Gen.Constant(ScenarioRun.PlaceAskKind)), count)
                   from bid in Step(Gen.Constant(ScenarioRun.PlaceBidKind))
                   select new StaticBook(asks, bid);
        return Arb.From(book, b => Shrink(b.Asks).Where(a => a.Length > 0).Select(a => b with { Asks = a }));
    }

    private static IEnumerable<ScenarioStep[]> Shrink(ScenarioStep[] steps)
    {
        for (var chunk = steps.Length / 2; chunk >= 1; chunk /= 2)
            for (var i = 0; i + chunk <= steps.Length; i += chunk)
                yield return [.. steps[..i], .. steps[(i + chunk)..]];
    }
}

/// <summary>
/// Runs a scenario on an engine and records what the properties check: every step's command, result and books, every
/// fill with the book just before it (a shadow engine replays the journal event by event), and the journal.
/// </summary>
internal sealed class ScenarioRun
{
    public const int PlaceAskKind = 0, PlaceBidKind = 1, CancelKind = 2, EligibilityKind = 3, ReleaseKind = 4, AdvanceKind = 5;

    private static readonly int[] DeviceGpus = [1, 1, 2, 2, 3, 4, 8, 1, 2, 4];
    private static readonly string[] DeviceModels = ["H100", "H100", "H100", "A100", "H100", "A100", "H100", "RTX-4090", "H100", "A100"];
    private static readonly string[] DeviceCountries = ["US", "DE", "US", "FR", "DE", "US", "US", "FR", "DE", "US"];
    private static readonly string[] Suppliers = ["s-a", "s-b", "s-c"];

    private readonly List<(Guid Id, string Owner)> _orders = [];
    private readonly List<Guid> _rentals = [];
    private readonly OrderBookEngine _shadow = new();
    private DateTimeOffset _now = Market.T0;

    public OrderBookEngine Engine { get; } = new();

    public List<IMarketEvent> Journal { get; } = [];

    public List<StepRecord> Steps { get; } = [];

    public List<FillRecord> Fills { get; } = [];

    public sealed record StepRecord(IMarketCommand Command, CommandResult Result, BookSnapshot Before, BookSnapshot After);

    public sealed record FillRecord(BidFilled Fill, BookSnapshot Before, DateTimeOffset Now);

    public static ScenarioRun Of(Scenario scenario)
    {
        var run = new ScenarioRun();
        foreach (var step in scenario.Steps) run.Handle(run.Command(step));
        return run;
    }

    public static ScenarioRun Of(StaticBook book)
    {
        var run = new ScenarioRun();
        for (var i = 0; i < book.Asks.Length; i++)
            run.Handle(StaticAsk(book.Asks[i], i));
        run.Handle(StaticBid(book.Bid));
        return run;
    }

    public void Handle(IMarketCommand command)
    {
        var shadow = _shadow;
        var before = Engine.Snapshot();
        var result = Engine.Handle(command);
        foreach (var e in result.Events)
        {
            if (e is BidFilled fill)
            {
                Fills.Add(new FillRecord(fill, shadow.Snapshot(), command.Now));
                _rentals.Add(fill.RentalId);
            }
            shadow.Apply(e);
            Journal.Add(e);
        }
        if (result.Accepted && command is PlaceAsk ask) _orders.Add((ask.AskId, ask.Supplier));
        if (result.Accepted && command is PlaceBid bid) _orders.Add((bid.BidId, bid.Buyer));
        Steps.Add(new StepRecord(command, result, before, Engine.Snapshot()));
    }

    private IMarketCommand Command(ScenarioStep s)
    {
        _now = _now.AddMinutes(s.G % 3 * 10);
        switch (s.Kind)
        {
            case PlaceAskKind:
                return AskFor(s, PickDevice(s), Guid.NewGuid(), _now);
            case PlaceBidKind:
                return BidFor(s, Guid.NewGuid(), _now);
            case CancelKind when _orders.Count > 0:
                var (id, owner) = s.B % 4 == 0 || Steps.Count == 0 ? _orders[s.A % _orders.Count] : LiveOrder(s.A);
                return new CancelOrder(id, s.C % 5 == 0 ? "someone-else" : owner, _now);
            case EligibilityKind:
                var withAsk = Steps.Count == 0 ? [] : Steps[^1].After.Asks.Where(a => !a.Withdrawn).ToArray();
                if (s.B % 4 == 0 || withAsk.Length == 0)
                    return new ChangeDeviceEligibility(Market.DeviceId(s.A % DeviceGpus.Length), s.C % 2 == 0, _now);
                var ineligible = withAsk.Where(a => !a.Eligible).ToArray();
                var target = ineligible.Length > 0 && s.C % 3 != 0 ? ineligible[s.A % ineligible.Length] : withAsk[s.A % withAsk.Length];
                return new ChangeDeviceEligibility(target.DeviceId, !target.Eligible, _now);
            case ReleaseKind when _rentals.Count > 0:
                var active = Steps.Count == 0 ? [] : Steps[^1].After.Rentals;
                return new ReleaseDevices(
                    s.B % 4 == 0 || active.Count == 0 ? _rentals[s.A % _rentals.Count] : active[s.A % active.Count].RentalId, _now);
            default:
                _now = _now.AddMinutes(30 + s.A % 4 * 60);
                return new AdvanceClock(_now);
        }
    }

    /// <summary>An order in the book (an ask or a resting bid) with its owner; any placed order if none is.</summary>
    private (Guid Id, string Owner) LiveOrder(int pick)
    {
        var book = Steps[^1].After;
        var live = book.Asks.Where(a => !a.Withdrawn).Select(a => (a.AskId, a.Supplier))
            .Concat(book.Bids.Select(b => (b.BidId, b.Buyer))).ToArray();
        return live.Length == 0 ? _orders[pick % _orders.Count] : live[pick % live.Length];
    }

    /// <summary>Mostly a device without an ask (so most asks are accepted), sometimes any (so some conflict).</summary>
    private int PickDevice(ScenarioStep s)
    {
        var device = s.A % DeviceGpus.Length;
        if (s.B % 4 == 0 || Steps.Count == 0) return device;
        var busy = Steps[^1].After.Asks.Select(a => a.DeviceId).ToHashSet();
        for (var i = 0; i < DeviceGpus.Length; i++)
        {
            var candidate = (device + i) % DeviceGpus.Length;
            if (!busy.Contains(Market.DeviceId(candidate))) return candidate;
        }
        return device;
    }

    private static PlaceAsk AskFor(ScenarioStep s, int device, Guid askId, DateTimeOffset now)
    {
        var minHours = s.E % 4 == 0 ? 2 : 1;
        var model = DeviceModels[device];
        return new PlaceAsk(
            askId, Market.DeviceId(device), Suppliers[device % Suppliers.Length], model,
            model == "RTX-4090" ? "consumer" : "datacenter", DeviceGpus[device], DeviceCountries[device],
            (ConnectivityTier)(2 + s.C % 3), (SecurityTier)(1 + s.D % 2), s.B % 3 != 0,
            (ulong)(1 + s.A / 10 % 4) * 1_000_000, minHours, minHours + 1 + s.E / 4 % 4,
            now.AddHours(minHours + 2 + s.F % 10), s.F % 10 == 0 ? PaymentCurrencies.Iosd : PaymentCurrencies.All, now);
    }

    private static PlaceBid BidFor(ScenarioStep s, Guid bidId, DateTimeOffset now)
    {
        var (model, gpuClass) = (s.B % 8) switch
        {
            0 or 1 or 2 => ("H100", (string?)null),
            3 or 4 => ("A100", null),
            5 or 6 => ((string?)null, "datacenter"),
            _ => (null, "consumer"),
        };
        var gpus = (s.C % 10) switch { < 5 => 1 + s.C / 10 % 4, < 8 => 2 + s.C / 10 % 7, _ => 1 + s.C / 10 % 12 };
        string[] countries = (s.F % 8) switch { 1 => ["US"], 2 => ["DE", "FR"], _ => [] };
        var minConnectivity = (s.G % 6) switch { 0 => ConnectivityTier.High, 1 => ConnectivityTier.Medium, _ => ConnectivityTier.Low };
        var currency = (s.F / 8 % 5) switch { 0 => PaymentCurrencies.Iosd, 1 => PaymentCurrencies.Io, _ => PaymentCurrencies.Usdc };
        return new PlaceBid(
            bidId, s.A % 10 == 9 ? "s-a" : $"b-{s.A % 2}", model, gpuClass, gpus, (ulong)(2 + s.D % 5) * 1_000_000,
            1 + s.E % 2, countries, minConnectivity, s.G / 6 % 4 == 0 ? SecurityTier.EndToEndEncrypted : SecurityTier.Standard,
            s.E / 3 % 4 == 0, currency, now.AddHours(1 + s.D / 5 % 6), now);
    }

    /// <summary>Asks of a static book: any size 1–8, price 1–6 USD, 4 suppliers, everywhere, all tiers met.</summary>
    private static PlaceAsk StaticAsk(ScenarioStep s, int n) => new(
        Market.AskId(n), Market.DeviceId(n), $"s-{s.A % 4}", "H100", "datacenter", 1 + s.B % 8, "US",
        ConnectivityTier.High, SecurityTier.EndToEndEncrypted, true, (ulong)(1 + s.C % 6) * 1_000_000, 1, 24,
        Market.T0.AddDays(1), PaymentCurrencies.All, Market.T0);

    private static PlaceBid StaticBid(ScenarioStep s) => new(
        Market.BidId(1), "buyer", "H100", null, 1 + s.A % 24, (ulong)(2 + s.B % 5) * 1_000_000, 2, [],
        ConnectivityTier.Low, SecurityTier.Standard, s.C % 3 == 0, PaymentCurrencies.Usdc, Market.T0.AddHours(1),
        Market.T0);
}
