using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Settlement;

namespace IoNet.MarketplaceApi.Tests.Claims;

/// <summary>Settlement with a supplier that accrues: its payout is in no transaction, and the rental is paid without it.</summary>
public sealed class SettlementAccrualTests
{
    private static readonly Guid Id = new("0000000a-0000-0000-0000-000000000001");
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static RentalSettlementDecided Decided(int suppliers, ulong refund) => new(Id, "IOSD", 10_000_000, 0, 0, [],
        Enumerable.Range(0, suppliers).Select(i => new SupplierPayout($"s{i}", 1_000 + (ulong)i)).ToList(), 0, "buyer", refund, [], T0);

    private static RentalSettled Settled(string supplier, ulong amount) => new("sig", 1, null, "0", Id.ToString("N"), supplier, "IOSD", amount, "vault");

    [Fact]
    public void the_payouts_of_accruing_suppliers_are_left_out_of_the_settlement_transactions()
    {
        var decided = Decided(6, 7);
        var payments = RentalSettlements.Payments(decided, new HashSet<string> { "s1", "s4" });

        payments.Select(p => p.Key).ShouldBe([$"settle:{Id:N}"]);
        payments[0].Payload.Payouts.Select(p => p.Supplier).ShouldBe(["s0", "s2", "s3", "s5"]);
        payments[0].Payload.Refund.ShouldBe(7UL);
        RentalSettlements.Payments(decided).Select(p => p.Key).ShouldBe([$"settle:{Id:N}", $"settle:{Id:N}:2"]);
    }

    [Fact]
    public void when_every_supplier_accrues_and_nothing_is_refunded_no_transaction_is_needed()
    {
        var decided = Decided(2, 0);
        RentalSettlements.Payments(decided, new HashSet<string> { "s0", "s1" }).ShouldBeEmpty();
        SettlementDecisions.IsPaid(decided, [], [], new HashSet<string> { "s0", "s1" }).ShouldBeTrue();
    }

    [Fact]
    public void a_rental_is_paid_once_the_suppliers_paid_at_settlement_are_in_the_ledger_whatever_the_accrued_ones_received()
    {
        var decided = Decided(2, 0);
        var accrued = new HashSet<string> { "s1" };
        SettlementDecisions.IsPaid(decided, [], [], accrued).ShouldBeFalse();
        SettlementDecisions.IsPaid(decided, [Settled("s0", 1_000)], [], accrued).ShouldBeTrue();
        // A claim of s1's earning later adds its transfer: still paid (it is not counted against the settlement).
        SettlementDecisions.IsPaid(decided, [Settled("s0", 1_000), Settled("s1", 1_001)], [], accrued).ShouldBeTrue();
        SettlementDecisions.IsPaid(decided, [Settled("s0", 1_000)], []).ShouldBeFalse();
    }
}
