using IoNet.Ledger.Devices;
using System.Text.Json;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;

namespace IoNet.MarketplaceApi.Tests.Matching;

/// <summary>Commands with sensible defaults, readable ids, and the Given / When / Then helpers of the engine tests.</summary>
internal static class Market
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A readable id: 00000000-0000-0000-0000-0000000000nn style, with a kind digit in front.</summary>
    public static Guid Id(int kind, int n) => new($"{kind:x8}-0000-0000-0000-{n:x12}");

    public static Guid AskId(int n) => Id(0xa, n);

    public static Guid DeviceId(int n) => Id(0xd, n);

    public static Guid BidId(int n) => Id(0xb, n);

    public static ulong Usd(decimal dollars) => (ulong)(dollars * 1_000_000m);

    public static PlaceAsk Ask(
        int n, ulong price, int gpus = 1, string supplier = "supplier-a", string model = "H100",
        string gpuClass = "datacenter", string country = "US", ConnectivityTier connectivity = ConnectivityTier.High,
        SecurityTier security = SecurityTier.Standard, bool eligible = true, int minHours = 1, int maxHours = 24,
        DateTimeOffset? until = null, PaymentCurrencies currencies = PaymentCurrencies.All, DateTimeOffset? now = null) =>
        new(AskId(n), DeviceId(n), supplier, model, gpuClass, gpus, country, connectivity, security, eligible, price,
            minHours, maxHours, until ?? T0.AddDays(7), currencies, now ?? T0);

    public static PlaceBid Bid(
        int n, ulong maxPrice, int gpus = 1, string buyer = "buyer-1", string? model = "H100", string? gpuClass = null,
        int hours = 2, string[]? countries = null, ConnectivityTier minConnectivity = ConnectivityTier.Low,
        SecurityTier minSecurity = SecurityTier.Standard, bool singleSupplier = false,
        PaymentCurrencies currency = PaymentCurrencies.Usdc, DateTimeOffset? expires = null, DateTimeOffset? now = null) =>
        new(BidId(n), buyer, model, gpuClass, gpus, maxPrice, hours, countries ?? [], minConnectivity, minSecurity,
            singleSupplier, currency, expires ?? T0.AddHours(1), now ?? T0);

    /// <summary>
    /// The journal a history of commands writes (each must be accepted): the "Given" of a test, as events.
    /// </summary>
    public static IMarketEvent[] Given(params IMarketCommand[] history)
    {
        var engine = new OrderBookEngine();
        var journal = new List<IMarketEvent>();
        foreach (var command in history)
        {
            var result = engine.Handle(command);
            result.Rejection.ShouldBeNull($"{command} was refused");
            journal.AddRange(result.Events);
        }
        return [.. journal];
    }

    /// <summary>Handles the command on a book rebuilt from the given events: the "When".</summary>
    public static (OrderBookEngine Engine, CommandResult Result) When(IMarketEvent[] given, IMarketCommand command)
    {
        var engine = OrderBookEngine.Rebuild(given);
        return (engine, engine.Handle(command));
    }

    /// <summary>The "Then": exactly these events, compared as JSON (events hold lists, which records compare by reference).</summary>
    public static void ShouldBeEvents(this CommandResult result, params IMarketEvent[] expected)
    {
        result.Rejection.ShouldBeNull();
        Describe(result.Events).ShouldBe(Describe(expected));
    }

    public static void ShouldBeRejected(this CommandResult result, RejectionCode code)
    {
        result.Rejection.ShouldNotBeNull();
        result.Rejection.Code.ShouldBe(code, result.Rejection.Reason);
        result.Events.ShouldBeEmpty();
    }

    public static BidFilled Fill(this CommandResult result) => result.Events.OfType<BidFilled>().Single();

    public static Guid[] DeviceIds(this BidFilled fill) => [.. fill.Devices.Select(d => d.DeviceId)];

    public static HiredDevice Hired(PlaceAsk ask) =>
        new(ask.AskId, ask.DeviceId, ask.Supplier, ask.GpuModel, ask.GpuCount, ask.PricePerGpuHour);

    private static string[] Describe(IEnumerable<IMarketEvent> events) =>
        [.. events.Select(e => $"{e.GetType().Name} {JsonSerializer.Serialize(e, e.GetType())}")];
}
