using System.Text.Json.Serialization;

namespace IoNet.Ledger.Market;

/// <summary>
/// How well a device is connected (bandwidth and latency class, measured by the device registry), ordered: a bid's
/// tier is a minimum, and every higher tier satisfies it. Written by name in JSON.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectivityTier>))]
public enum ConnectivityTier
{
    Low = 1,
    Medium = 2,
    High = 3,
    Ultra = 4,
}

/// <summary>
/// What the device registry vouches for about where a device runs, ordered: a bid's tier is a minimum, and every
/// higher tier satisfies it. Standard: nothing beyond eligibility; Verified: the supplier's identity is checked;
/// Certified: a certified data centre (e.g. ISO 27001); Compliant: audited for regulated data (SOC 2, HIPAA).
/// Written by name in JSON.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SecurityTier>))]
public enum SecurityTier
{
    Standard = 1,
    Verified = 2,
    Certified = 3,
    Compliant = 4,
}

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
