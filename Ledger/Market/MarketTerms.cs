using System.Text.Json.Serialization;

namespace IoNet.Ledger.Market;

/// <summary>
/// The currencies a rental can be paid in (docs/onchain.md): an ask names the set its supplier accepts, a bid names
/// exactly one. Prices are always USD micro-units; the currency only says what the buyer pays with.
/// </summary>
[Flags]
[JsonConverter(typeof(JsonStringEnumConverter<PaymentCurrencies>))]
public enum PaymentCurrencies
{
    None = 0,
    Usdc = 1,
    Iosd = 2,
    Io = 4,
    All = Usdc | Iosd | Io,
}

/// <summary>Which side of the order book an order is on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderSide>))]
public enum OrderSide
{
    Ask = 1,
    Bid = 2,
}
