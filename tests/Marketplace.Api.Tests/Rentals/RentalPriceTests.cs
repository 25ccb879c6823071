using FsCheck.Xunit;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Quotes;

namespace IoNet.MarketplaceApi.Tests.Rentals;

/// <summary>Prices, fees and rounding (docs/marketplace.md): exact integers, and every rounding in the buyer's favour.</summary>
public sealed class RentalPriceTests
{
    private static readonly PaymentCurrencies[] Currencies = [PaymentCurrencies.Io, PaymentCurrencies.Iosd, PaymentCurrencies.Usdc];

    [Theory]
    [InlineData(PaymentCurrencies.Io, 0UL)]
    [InlineData(PaymentCurrencies.Iosd, 25UL)]
    [InlineData(PaymentCurrencies.Usdc, 225UL)]
    public void the_buyer_pays_a_quarter_percent_reservation_fee_plus_two_percent_on_usdc_and_nothing_on_io(PaymentCurrencies currency, ulong bps)
    {
        Fees.BuyerBps(currency).ShouldBe(bps);
        Fees.SupplierBps(currency).ShouldBe(currency == PaymentCurrencies.Io ? 0UL : 25UL);
    }

    [Fact]
    public void a_fee_rounds_down_to_the_base_unit()
    {
        // 3 micro-USD an hour for 133 h: 399 micro-USD; 0.25 % of it is 0.9975, so the fee is 0.
        var price = RentalPrice.Of(3, 133, PaymentCurrencies.Iosd, null);
        price.SubtotalMicroUsd.ShouldBe(399UL);
        price.BuyerFeeMicroUsd.ShouldBe(0UL);
        price.Total.ShouldBe(399UL);
        // IO at 0.80 USD: 1 micro-USD is 125 IO base units; 1 micro-USD at 0.30 USD is 333.33… → 333.
        RentalPrice.Of(1, 1, PaymentCurrencies.Io, 800_000).Total.ShouldBe(125UL);
        RentalPrice.Of(1, 1, PaymentCurrencies.Io, 300_000).Total.ShouldBe(333UL);
    }

    [Property(MaxTest = 500)]
    public bool the_parts_add_up_and_the_total_never_exceeds_the_exact_amount(ulong perHourSeed, int hoursSeed, int currencySeed, uint rateSeed)
    {
        var perHour = 1 + perHourSeed % 640_000_000_000; // up to 64 GPUs at the maximum price
        var hours = 1 + (int)((uint)hoursSeed % 8760);
        var currency = Currencies[(uint)currencySeed % 3];
        var rate = 1 + (ulong)rateSeed % 100_000_000;
        var price = RentalPrice.Of(perHour, hours, currency, rate);
        var exactFee = (decimal)price.SubtotalMicroUsd * Fees.BuyerBps(currency) / 10_000m;
        var exactTotal = currency == PaymentCurrencies.Io ? (decimal)price.TotalMicroUsd * 100_000_000m / rate : price.TotalMicroUsd;
        return price.SubtotalMicroUsd == perHour * (ulong)hours
            && price.BuyerFeeMicroUsd <= exactFee && exactFee - price.BuyerFeeMicroUsd < 1
            && price.TotalMicroUsd == price.SubtotalMicroUsd + price.BuyerFeeMicroUsd
            && price.Subtotal + price.BuyerFee == price.Total
            && price.Total <= exactTotal && exactTotal - price.Total < 1;
    }

    [Property(MaxTest = 500)]
    public bool settlement_never_charges_more_than_was_due_nor_pays_suppliers_more_than_the_buyer_is_charged(
        uint priceSeed, byte gpusSeed, uint secondsSeed, int currencySeed, uint rateSeed)
    {
        var price = 1 + (ulong)priceSeed % 10_000_000_000;
        var gpus = 1 + gpusSeed % 16;
        var hours = 1 + (int)(secondsSeed % 100);
        var served = TimeSpan.FromSeconds(secondsSeed % (uint)(hours * 3600 + 1));
        var currency = Currencies[(uint)currencySeed % 3];
        var rate = 1_000 + (ulong)rateSeed % 100_000_000;
        var due = RentalPrice.Of(price * (ulong)gpus, hours, currency, rate).Total;
        var usage = RentalPrice.UsageMicroUsd(price, gpus, served);
        var charge = RentalPrice.BuyerCharge(usage, currency, rate, due);
        var payout = RentalPrice.SupplierPayout(usage, currency, rate);
        return usage <= price * (ulong)gpus * (ulong)hours && charge <= due && payout <= charge;
    }
}
