using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Quotes;

/// <summary>
/// The marketplace's fees in basis points (1/10,000), by the currency a rental is paid in (docs/marketplace.md, "Prices,
/// fees and rounding"): IO carries none; IOSD a 0.25 % reservation fee from each side; USDC the same 0.25 % from each
/// side plus a 2 % payment fee the buyer pays on top (the cost of the USDC rail, which a buyer who pays in IO or IOSD
/// does not cause).
/// </summary>
public static class Fees
{
    public const ulong BasisPoints = 10_000;

    /// <summary>The reservation fee, from the buyer and from the supplier (IOSD and USDC).</summary>
    public const ulong ReservationBps = 25;

    /// <summary>The USDC payment fee, from the buyer only, on top of the reservation fee.</summary>
    public const ulong UsdcPaymentBps = 200;

    /// <summary>What the buyer pays on top of the price.</summary>
    public static ulong BuyerBps(PaymentCurrencies currency) => currency switch
    {
        PaymentCurrencies.Io => 0,
        PaymentCurrencies.Iosd => ReservationBps,
        PaymentCurrencies.Usdc => ReservationBps + UsdcPaymentBps,
        _ => throw new ArgumentOutOfRangeException(nameof(currency), currency, "A rental is paid in exactly one of Io, Iosd, Usdc."),
    };

    /// <summary>What is kept from the supplier's earnings.</summary>
    public static ulong SupplierBps(PaymentCurrencies currency) => currency switch
    {
        PaymentCurrencies.Io => 0,
        PaymentCurrencies.Iosd or PaymentCurrencies.Usdc => ReservationBps,
        _ => throw new ArgumentOutOfRangeException(nameof(currency), currency, "A rental is paid in exactly one of Io, Iosd, Usdc."),
    };

    /// <summary>⌊amount × bps / 10,000⌋: every fee rounds down (for the buyer's fee, in the buyer's favour).</summary>
    public static ulong Of(ulong amount, ulong bps) => checked((ulong)((UInt128)amount * bps / BasisPoints));
}
