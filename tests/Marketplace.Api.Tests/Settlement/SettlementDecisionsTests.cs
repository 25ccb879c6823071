using FsCheck.Xunit;
using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Quotes;
using IoNet.Marketplace.Settlement;
using IoNet.Programs.Flows;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.MarketplaceApi.Tests.Settlement;

/// <summary>Settlement's decider: per device the time served, payouts, fees, refund, to the base unit (docs/marketplace.md).</summary>
public sealed class SettlementDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = new("0000000a-0000-0000-0000-000000000001");
    private static readonly Guid DeviceA = new("0000000d-0000-0000-0000-00000000000a"), DeviceB = new("0000000d-0000-0000-0000-00000000000b");
    private const string Iosd = "IOSDmint", Usdc = "USDCmint", Io = "IOmint", Buyer = "buyer";
    private static readonly Dictionary<string, string> Vaults = new() { [Iosd] = "vIosd", [Usdc] = "vUsdc", [Io] = "vIo" };

    /// <summary>Supplier a: 2 GPUs at 1.0 USD; supplier b: 1 GPU at 1.2 USD; 2 h in <paramref name="currency"/>.</summary>
    private static RentalMatched Matched(PaymentCurrencies currency = PaymentCurrencies.Iosd, ulong? rate = null)
    {
        var price = RentalPrice.Of(3_200_000, 2, currency, rate);
        return new RentalMatched(Id, Guid.NewGuid(), Buyer, 3, 2, currency,
        [
            new RentalDevice(Guid.Empty, DeviceA, "a", "H100", 2, 1_000_000, 48, T0.AddDays(2)),
            new RentalDevice(Guid.Empty, DeviceB, "b", "H100", 1, 1_200_000, 48, T0.AddDays(2)),
        ], 3_200_000, price.SubtotalMicroUsd, price.BuyerFeeMicroUsd, price.TotalMicroUsd, price.IoRateMicroUsd, price.Total, T0.AddMinutes(20), T0);
    }

    private static RentalPaymentReceived Paid(ulong amount, string mint = Iosd, string vault = "vIosd", bool counted = true, string signature = "s1") =>
        new(Id, signature, "2", Buyer, mint, vault, amount, counted, T0.AddMinutes(1));

    private static RentalSettlementDecided Settle(params object[] events) =>
        SettlementDecisions.Decide(Rental.Replay(events), new SettleRental(Iosd, Vaults, T0.AddHours(5))).ShouldHaveSingleItem().ShouldBeOfType<RentalSettlementDecided>();

    private static void AddsUp(RentalSettlementDecided d) =>
        checked(d.Payouts.Aggregate(0UL, (s, p) => s + p.Amount) + d.Fees + d.Refund).ShouldBe(d.Funded);

    [Fact]
    public void the_worked_example_of_the_docs_pays_each_supplier_its_seconds_less_its_fee_and_refunds_the_rest_to_the_base_unit()
    {
        // Paid 6.416 IOSD, extended by 1 h (3.208 IOSD) with 5 base units too many; ended after 1 h 30 min 15.7 s; b down 10 min.
        var activated = T0.AddMinutes(2);
        var d = Settle(Matched(), Paid(6_416_000), new RentalActivated(Id, 6_416_000, activated.AddHours(2), activated),
            new RentalExtensionRequested(Id, Guid.NewGuid(), 1, 3_200_000, 8_000, 3_208_000, 3_208_000, activated.AddMinutes(30), activated.AddMinutes(5)),
            Paid(3_208_005, signature: "s2"), new RentalExtended(Id, Guid.Empty, 1, activated.AddHours(3), activated.AddMinutes(6)),
            new RentalDeviceUnavailable(Id, DeviceB, "Down", activated.AddMinutes(20)), new RentalDeviceAvailable(Id, DeviceB, activated.AddMinutes(30)),
            new RentalEnded(Id, RentalEndReason.BuyerEnded, Buyer, activated + new TimeSpan(1, 30, 15) + TimeSpan.FromMilliseconds(700)));

        d.Devices.Select(l => (l.ServedSeconds, l.UsageMicroUsd, l.Payout)).ShouldBe([(5_415L, 3_008_333UL, 3_000_813UL), (4_815L, 1_605_000UL, 1_600_988UL)]);
        d.UsageMicroUsd.ShouldBe(4_613_333UL);
        d.Charged.ShouldBe(4_624_866UL); // + ⌊0.25 %⌋ = 11,533
        d.Payouts.ShouldBe([new SupplierPayout("a", 3_000_813), new SupplierPayout("b", 1_600_988)]);
        d.Fees.ShouldBe(23_065UL);
        d.Funded.ShouldBe(9_624_005UL);
        d.Refund.ShouldBe(4_999_139UL);
        AddsUp(d);
    }

    [Fact]
    public void a_rental_that_ran_its_whole_booked_time_pays_the_booked_hours_and_refunds_only_the_overpayment()
    {
        var d = Settle(Matched(), Paid(6_416_007), new RentalActivated(Id, 6_416_007, T0.AddHours(2), T0),
            new RentalEnded(Id, RentalEndReason.Completed, "market", T0.AddHours(2).AddSeconds(40)));

        d.Devices.Select(l => l.ServedSeconds).ShouldBe([7_200L, 7_200L]);
        d.Charged.ShouldBe(6_416_000UL);
        d.Payouts.ShouldBe([new SupplierPayout("a", 3_990_000), new SupplierPayout("b", 2_394_000)]);
        d.Fees.ShouldBe(32_000UL); // 16,000 from the buyer and 10,000 + 6,000 from the suppliers
        d.Refund.ShouldBe(7UL);
    }

    [Fact]
    public void a_lapsed_rental_refunds_what_was_paid_and_a_payment_into_another_mints_escrow_goes_back_in_its_mint()
    {
        var d = Settle(Matched(), Paid(1_000), Paid(500, Usdc, "vUsdc", counted: false, signature: "s2"),
            Paid(9, Usdc, "someoneElse", counted: false, signature: "s3"), new RentalLapsed(Id, 1_000, T0.AddMinutes(20)));

        d.Payouts.ShouldBeEmpty();
        (d.Charged, d.Fees, d.Refund).ShouldBe((0UL, 0UL, 1_000UL));
        d.OtherRefunds.ShouldBe([new OtherMintRefund(Usdc, Buyer, 500)]);
        RentalSettlements.Payments(d).Select(p => (p.Key, p.Payload.Mint, p.Payload.Refund, p.Payload.Payouts.Count))
            .ShouldBe([($"settle:{Id:N}", Iosd, 1_000UL, 0), ($"settle:{Id:N}:{Usdc}:{Buyer}", Usdc, 500UL, 0)]);
    }

    [Fact]
    public void nothing_is_decided_while_the_rental_runs_for_a_lapse_without_payment_or_a_second_time()
    {
        object[] active = [Matched(), Paid(6_416_000), new RentalActivated(Id, 6_416_000, T0.AddHours(2), T0)];
        SettlementDecisions.Decide(Rental.Replay(active), new SettleRental(Iosd, Vaults, T0)).ShouldBeEmpty();
        SettlementDecisions.Decide(Rental.Replay([Matched(), new RentalLapsed(Id, 0, T0.AddMinutes(20))]), new SettleRental(Iosd, Vaults, T0)).ShouldBeEmpty();
        object[] ended = [.. active, new RentalEnded(Id, RentalEndReason.DeviceFailed, "market", T0.AddHours(1))];
        var decided = Settle(ended);
        SettlementDecisions.Decide(Rental.Replay([.. ended, decided]), new SettleRental(Iosd, Vaults, T0)).ShouldBeEmpty();
    }

    [Fact]
    public void io_carries_no_fee_and_usdc_charges_the_buyer_the_payment_fee_on_top()
    {
        var io = RentalPrice.Of(3_200_000, 2, PaymentCurrencies.Io, 800_000);
        var dIo = Settle(Matched(PaymentCurrencies.Io, 800_000), Paid(io.Total, Io, "vIo"), new RentalActivated(Id, io.Total, T0.AddHours(2), T0),
            new RentalEnded(Id, RentalEndReason.BuyerEnded, Buyer, T0.AddHours(1)));
        // 1 h of 3.2 USD at 0.80 USD per IO = 4 IO; half the booked 8 IO back.
        (dIo.Charged, dIo.Fees, dIo.Refund).ShouldBe((400_000_000UL, 0UL, 400_000_000UL));
        dIo.Payouts.ShouldBe([new SupplierPayout("a", 250_000_000), new SupplierPayout("b", 150_000_000)]);

        var usdc = RentalPrice.Of(3_200_000, 2, PaymentCurrencies.Usdc, null);
        var dUsdc = Settle(Matched(PaymentCurrencies.Usdc), Paid(usdc.Total), new RentalActivated(Id, usdc.Total, T0.AddHours(2), T0),
            new RentalEnded(Id, RentalEndReason.SupplierUnavailable, "market", T0.AddHours(1)));
        dUsdc.Charged.ShouldBe(3_272_000UL); // 3.2 USD + 2.25 %
        dUsdc.Fees.ShouldBe(72_000UL + 8_000UL); // the buyer's 2.25 % and the suppliers' 0.25 %
        AddsUp(dUsdc);
    }

    [Fact]
    public void nine_suppliers_are_paid_in_three_transactions_each_fitting_a_legacy_transaction_with_the_refund_in_the_last()
    {
        var suppliers = Enumerable.Range(0, 9).Select(_ => Keypair.Generate()).ToList();
        var buyer = Keypair.Generate();
        var decided = new RentalSettlementDecided(Id, Iosd, 10_000_000, 0, 0, [],
            suppliers.Select(s => new SupplierPayout(s.PublicKey.ToString(), ulong.MaxValue / 100)).ToList(), 0, buyer.PublicKey.ToString(), 1, [], T0);

        var payments = RentalSettlements.Payments(decided);

        payments.Select(p => p.Key).ShouldBe([$"settle:{Id:N}", $"settle:{Id:N}:2", $"settle:{Id:N}:3"]);
        payments.Select(p => (p.Payload.Payouts.Count, p.Payload.Refund)).ShouldBe([(4, 0UL), (4, 0UL), (1, 1UL)]);
        payments.SelectMany(p => p.Payload.Payouts).ShouldBe(decided.Payouts);
        using var escrow = Keypair.Generate();
        using var mintKey = Keypair.Generate();
        var mint = new MintInfo(mintKey.PublicKey, 6, WellKnownPrograms.Token);
        var full = new SettlementPayload(Id, Iosd, payments[0].Payload.Payouts, buyer.PublicKey.ToString(), ulong.MaxValue);
        var instructions = IoNetFlows.SettleRental(escrow.PublicKey, mint, Id, full.Payouts.Select(p => (PublicKey.Parse(p.Supplier), p.Amount)).ToList(),
            buyer.PublicKey, full.Refund);
        var message = MessageCompiler.CompileLegacy(escrow.PublicKey, instructions, new Blockhash(new byte[32]));
        new Transaction(message).Sign(escrow).Serialize().Length.ShouldBeLessThanOrEqualTo(1_232);
        foreach (var s in suppliers)
            s.Dispose();
    }

    [Property(MaxTest = 300)]
    public bool payouts_fees_and_refund_always_add_up_to_what_was_funded_and_the_buyer_never_pays_more_than_used(
        uint priceA, uint priceB, byte gpusA, byte hours, uint servedSeconds, uint downSeconds, ushort extra, bool io)
    {
        var currency = io ? PaymentCurrencies.Io : PaymentCurrencies.Usdc;
        ulong? rate = io ? 123_457 : null;
        var a = (ulong)priceA % 10_000_000_000UL + 1;
        var b = (ulong)priceB % 10_000_000_000UL + 1;
        var ga = gpusA % 16 + 1;
        var h = hours % 48 + 1;
        var perHour = checked(a * (ulong)ga + b);
        var price = RentalPrice.Of(perHour, h, currency, rate);
        var matched = new RentalMatched(Id, Guid.NewGuid(), Buyer, ga + 1, h, currency,
        [
            new RentalDevice(Guid.Empty, DeviceA, "a", "H100", ga, a, 48, T0.AddDays(9)),
            new RentalDevice(Guid.Empty, DeviceB, "b", "H100", 1, b, 48, T0.AddDays(9)),
        ], perHour, price.SubtotalMicroUsd, price.BuyerFeeMicroUsd, price.TotalMicroUsd, price.IoRateMicroUsd, price.Total, T0.AddMinutes(20), T0);
        var funded = checked(price.Total + extra);
        var end = T0.AddSeconds(servedSeconds % (h * 3600 + 7_200));
        var d = SettlementDecisions.Decide(Rental.Replay([matched, Paid(funded),
            new RentalActivated(Id, funded, T0.AddHours(h), T0), new RentalDeviceUnavailable(Id, DeviceA, "Down", T0.AddSeconds(downSeconds % 10_000)),
            new RentalEnded(Id, RentalEndReason.BuyerEnded, Buyer, end)]), new SettleRental(Iosd, Vaults, end))
            .ShouldHaveSingleItem().ShouldBeOfType<RentalSettlementDecided>();
        var paid = d.Payouts.Aggregate(0UL, (s, p) => checked(s + p.Amount));
        var exact = PaymentCurrency.ToBaseUnits(checked(d.UsageMicroUsd + Fees.Of(d.UsageMicroUsd, Fees.BuyerBps(currency))), currency, rate);
        return checked(paid + d.Fees + d.Refund) == funded && d.Charged <= exact && d.Charged <= price.Total && d.Refund >= extra;
    }
}
