using IoNet.Ledger.Devices;
using System.Text.Json;
using IoNet.Ledger.Market;
using static IoNet.MarketplaceApi.Tests.Matching.Market;

namespace IoNet.MarketplaceApi.Tests.Matching;

public sealed class MarketEventJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 30, 15, 123, TimeSpan.FromHours(2));

    public static TheoryData<IMarketEvent> Events => new()
    {
        new AskPlaced(AskId(1), DeviceId(1), "5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1", "A100-80GB", "datacenter", 8,
            "DE", ConnectivityTier.Ultra, SecurityTier.Soc2, true, 1_850_000, 2, 720, At.AddDays(30),
            PaymentCurrencies.Usdc | PaymentCurrencies.Iosd, At),
        new BidPlaced(BidId(1), "buyer", null, "datacenter", 12, 2_000_000, 24, ["DE", "FR"], ConnectivityTier.High,
            SecurityTier.Soc2, true, PaymentCurrencies.Io, At.AddHours(6), At),
        new BidPlaced(BidId(2), "buyer", "H100", null, 1, 1, 1, [], ConnectivityTier.Low, SecurityTier.Standard, false,
            PaymentCurrencies.Usdc, At.AddHours(6), At),
        new OrderCancelled(BidId(1), OrderSide.Bid, "buyer", At),
        new BidFilled(Guid.NewGuid(), BidId(1), "buyer", 12, 24, PaymentCurrencies.Iosd,
            [new HiredDevice(AskId(1), DeviceId(1), "supplier", "A100-80GB", 8, 1_850_000),
             new HiredDevice(AskId(2), DeviceId(2), "supplier-2", "H100", 4, 1_990_000)],
            22_760_000, 546_240_000, At),
        new BidExpired(BidId(1), "buyer", At),
        new AskExpired(AskId(1), DeviceId(1), "supplier", At),
        new AskEligibilityChanged(AskId(1), DeviceId(1), false, At),
        new DevicesReleased(Guid.NewGuid(), [DeviceId(1), DeviceId(2)], At),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void a_market_event_round_trips_through_system_text_json(IMarketEvent e)
    {
        foreach (var options in new[] { JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            var json = JsonSerializer.Serialize(e, e.GetType(), options);

            var back = (IMarketEvent)JsonSerializer.Deserialize(json, e.GetType(), options)!;

            back.ShouldBeOfType(e.GetType());
            JsonSerializer.Serialize(back, e.GetType(), options).ShouldBe(json);
            back.At.ShouldBe(e.At);
        }
    }

    [Fact]
    public void tiers_and_currencies_are_written_by_name()
    {
        var json = JsonSerializer.Serialize(new AskPlaced(AskId(1), DeviceId(1), "s", "H100", "datacenter", 1, "US",
            ConnectivityTier.Medium, SecurityTier.EndToEndEncrypted, true, 1, 1, 1, At, PaymentCurrencies.Usdc | PaymentCurrencies.Io, At));

        json.ShouldContain("\"Connectivity\":\"Medium\"");
        json.ShouldContain("\"Security\":\"EndToEndEncrypted\"");
        json.ShouldContain("\"AcceptedCurrencies\":\"Usdc, Io\"");
    }
}
