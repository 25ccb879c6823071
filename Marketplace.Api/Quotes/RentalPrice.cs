using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Quotes;

/// <summary>
/// What a rental (or an extension) costs the buyer: the price × hours (subtotal), the buyer's fee, and their sum, in
/// micro-USD and in base units of the currency it is paid in. Pure and exact; used by quotes, payment amounts and
/// settlement (docs/marketplace.md, "Prices, fees and rounding"). Every rounding favours the buyer: amounts the buyer
/// pays round down, so refunds (funded − charged) round up.
/// </summary>
public sealed record RentalPrice(
    ulong PerHourMicroUsd, int Hours, PaymentCurrencies Currency, ulong SubtotalMicroUsd, ulong BuyerFeeMicroUsd,
    ulong TotalMicroUsd, byte Decimals, ulong? IoRateMicroUsd, ulong Subtotal, ulong BuyerFee, ulong Total)
{
    /// <summary>
    /// subtotal = perHour × hours; fee = ⌊subtotal × buyerBps / 10⁴⌋; total = subtotal + fee (micro-USD). In base
    /// units: total = ⌊toBase(total)⌋ and subtotal = ⌊toBase(subtotal)⌋, fee = their difference (so the parts add up).
    /// </summary>
    public static RentalPrice Of(ulong perHourMicroUsd, int hours, PaymentCurrencies currency, ulong? ioRateMicroUsd)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        var subtotal = checked(perHourMicroUsd * (ulong)hours);
        var fee = Fees.Of(subtotal, Fees.BuyerBps(currency));
        var total = checked(subtotal + fee);
        var rate = currency == PaymentCurrencies.Io ? ioRateMicroUsd : null;
        var subtotalUnits = PaymentCurrency.ToBaseUnits(subtotal, currency, rate);
        var totalUnits = PaymentCurrency.ToBaseUnits(total, currency, rate);
        return new RentalPrice(perHourMicroUsd, hours, currency, subtotal, fee, total, PaymentCurrency.Decimals(currency), rate,
            subtotalUnits, totalUnits - subtotalUnits, totalUnits);
    }

    /// <summary>What a device's work for <paramref name="served"/> is worth: ⌊price × GPUs × served / 1 h⌋ micro-USD.</summary>
    public static ulong UsageMicroUsd(ulong pricePerGpuHour, int gpus, TimeSpan served)
    {
        if (served <= TimeSpan.Zero)
            return 0;
        return checked((ulong)((UInt128)pricePerGpuHour * (ulong)gpus * (ulong)served.Ticks / (ulong)TimeSpan.TicksPerHour));
    }

    /// <summary>
    /// What settlement charges the buyer for <paramref name="usageMicroUsd"/> of work: usage + ⌊usage × buyerBps / 10⁴⌋
    /// in base units (rounded down), never more than <paramref name="due"/> (what the booked hours cost: summing
    /// separately rounded payments may lose a unit the whole would not, and that unit is the buyer's).
    /// </summary>
    public static ulong BuyerCharge(ulong usageMicroUsd, PaymentCurrencies currency, ulong? ioRateMicroUsd, ulong due)
    {
        var withFee = checked(usageMicroUsd + Fees.Of(usageMicroUsd, Fees.BuyerBps(currency)));
        return Math.Min(PaymentCurrency.ToBaseUnits(withFee, currency, ioRateMicroUsd), due);
    }

    /// <summary>A supplier's payout for <paramref name="usageMicroUsd"/>: usage − ⌊usage × supplierBps / 10⁴⌋, in base units (rounded down).</summary>
    public static ulong SupplierPayout(ulong usageMicroUsd, PaymentCurrencies currency, ulong? ioRateMicroUsd) =>
        PaymentCurrency.ToBaseUnits(usageMicroUsd - Fees.Of(usageMicroUsd, Fees.SupplierBps(currency)), currency, ioRateMicroUsd);
}
