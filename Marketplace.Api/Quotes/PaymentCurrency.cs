using System.Diagnostics.CodeAnalysis;
using IoNet.Ledger.Market;
using IoNet.Programs.Flows;

namespace IoNet.Marketplace.Quotes;

/// <summary>The three currencies a rental is paid in: their decimals, mints, names, and USD conversion.</summary>
public static class PaymentCurrency
{
    /// <summary>Decimals of the currency's mint (docs/onchain.md): IO 8, IOSD 6, USDC 6.</summary>
    public static byte Decimals(PaymentCurrencies currency) => currency switch
    {
        PaymentCurrencies.Io => 8,
        PaymentCurrencies.Iosd or PaymentCurrencies.Usdc => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(currency), currency, "A rental is paid in exactly one of Io, Iosd, Usdc."),
    };

    public static MintInfo Mint(PaymentCurrencies currency, IoNetAddresses network) => currency switch
    {
        PaymentCurrencies.Io => network.Io,
        PaymentCurrencies.Iosd => network.Iosd,
        PaymentCurrencies.Usdc => network.Usdc,
        _ => throw new ArgumentOutOfRangeException(nameof(currency), currency, "A rental is paid in exactly one of Io, Iosd, Usdc."),
    };

    /// <summary>The symbol as people write it (IO, IOSD, USDC).</summary>
    public static string Symbol(PaymentCurrencies currency) => currency switch
    {
        PaymentCurrencies.Io => "IO",
        PaymentCurrencies.Iosd => "IOSD",
        PaymentCurrencies.Usdc => "USDC",
        _ => currency.ToString(),
    };

    /// <summary>One currency from its symbol or enum name, any case ("io", "IOSD", "Usdc"); nothing else (no numbers, no lists).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PaymentCurrencies? currency)
    {
        currency = text?.ToUpperInvariant() switch
        {
            "IO" => PaymentCurrencies.Io,
            "IOSD" => PaymentCurrencies.Iosd,
            "USDC" => PaymentCurrencies.Usdc,
            _ => null,
        };
        return currency is not null;
    }

    /// <summary>
    /// micro-USD to base units, rounded down: IOSD and USDC 1:1 (6 decimals, 1 base unit = 1 micro-USD); IO at
    /// <paramref name="ioRateMicroUsd"/> micro-USD per whole IO, ⌊usd × 10⁸ / rate⌋.
    /// </summary>
    public static ulong ToBaseUnits(ulong microUsd, PaymentCurrencies currency, ulong? ioRateMicroUsd) => currency switch
    {
        PaymentCurrencies.Iosd or PaymentCurrencies.Usdc => microUsd,
        PaymentCurrencies.Io => ioRateMicroUsd is > 0 and var rate
            ? checked((ulong)((UInt128)microUsd * 100_000_000UL / rate))
            : throw new ArgumentException("An IO amount needs a positive IO/USD rate.", nameof(ioRateMicroUsd)),
        _ => throw new ArgumentOutOfRangeException(nameof(currency), currency, "A rental is paid in exactly one of Io, Iosd, Usdc."),
    };
}
