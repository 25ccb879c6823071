using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Quotes;

namespace IoNet.Marketplace.Settlement;

/// <summary>
/// Settle a rental that is over. <paramref name="RentalMint"/> is the mint of its currency; <paramref name="EscrowVaults"/>
/// maps each mint to its escrow vault (a payment in another mint is returned only if it went into that mint's vault, the
/// only account the escrow authority can pay from).
/// </summary>
public sealed record SettleRental(string RentalMint, IReadOnlyDictionary<string, string> EscrowVaults, DateTimeOffset Now);

/// <summary>
/// Decide(state, command) -> events of settlement (docs/marketplace.md, "Settlement"). Pure and exact: integer base
/// units, checked arithmetic, and every rounding in the buyer's favour.
/// </summary>
public static class SettlementDecisions
{
    /// <summary>RentalSettlementDecided once for a rental that is over (none while it runs, or when it was decided already).</summary>
    public static IReadOnlyList<object> Decide(Rental? state, SettleRental c)
    {
        if (state is null || state.Settlement is not null || !state.AwaitsSettlement)
            return [];
        var (start, end) = ServedWindow(state);
        var lines = new List<SettlementLine>(state.Devices.Count);
        ulong usage = 0;
        foreach (var device in state.Devices)
        {
            var seconds = ServedSeconds(state, device.Device, start, end);
            var deviceUsage = RentalPrice.UsageMicroUsd(device.PricePerGpuHour, device.GpuCount, TimeSpan.FromSeconds(seconds));
            usage = checked(usage + deviceUsage);
            lines.Add(new SettlementLine(device.Device, device.Supplier, device.GpuCount, device.PricePerGpuHour, seconds, deviceUsage,
                RentalPrice.SupplierPayout(deviceUsage, state.Currency, state.IoRateMicroUsd)));
        }
        // The buyer is charged for the time used, never more than the booked hours cost nor than it paid.
        var charged = Math.Min(RentalPrice.BuyerCharge(usage, state.Currency, state.IoRateMicroUsd, state.AmountDue), state.Funded);
        TrimPayouts(lines, charged);
        var payouts = lines.Where(l => l.Payout > 0).GroupBy(l => l.Supplier, StringComparer.Ordinal)
            .Select(g => new SupplierPayout(g.Key, g.Aggregate(0UL, (sum, l) => checked(sum + l.Payout)))).ToList();
        var paid = payouts.Aggregate(0UL, (sum, p) => checked(sum + p.Amount));
        var fees = checked(charged - paid);
        var refund = checked(state.Funded - charged);
        if (checked(paid + fees + refund) != state.Funded)
            throw new InvalidOperationException($"Settlement of {state.RentalId:N} does not add up: {paid} + {fees} + {refund} != {state.Funded}.");
        var others = state.Payments
            .Where(p => !p.Counted && p.Mint != c.RentalMint && c.EscrowVaults.TryGetValue(p.Mint, out var vault) && vault == p.Vault)
            .GroupBy(p => (p.Mint, p.Payer))
            .Select(g => new OtherMintRefund(g.Key.Mint, g.Key.Payer, g.Aggregate(0UL, (sum, p) => checked(sum + p.Amount))))
            .OrderBy(r => r.Mint, StringComparer.Ordinal).ThenBy(r => r.Payer, StringComparer.Ordinal).ToList();
        return [new RentalSettlementDecided(state.RentalId, c.RentalMint, state.Funded, usage, charged, lines, payouts, fees, state.Buyer,
            refund, others, c.Now)];
    }

    /// <summary>
    /// The Ledger's transfers for the rental cover what was decided: each supplier got its payout and the buyer (and
    /// every payer in another mint) its refund, in the right mint. Amounts compare exactly. The payouts of
    /// <paramref name="accrued"/> suppliers are not awaited: they became earnings the supplier claims when it wants.
    /// </summary>
    public static bool IsPaid(
        RentalSettlementDecided decided, IReadOnlyList<RentalSettled> settled, IReadOnlyList<RentalRefunded> refunded, IReadOnlySet<string>? accrued = null)
    {
        foreach (var payout in decided.Payouts)
        {
            if (accrued?.Contains(payout.Supplier) == true)
                continue;
            var got = settled.Where(s => s.Mint == decided.Mint && s.Supplier == payout.Supplier).Aggregate(0UL, (sum, s) => checked(sum + s.Amount));
            if (got != payout.Amount)
                return false;
        }
        if (decided.Refund > 0 && Refunded(refunded, decided.Mint, decided.Buyer) != decided.Refund)
            return false;
        return decided.OtherRefunds.All(o => Refunded(refunded, o.Mint, o.Payer) == o.Amount);
    }

    private static ulong Refunded(IReadOnlyList<RentalRefunded> refunded, string mint, string to) =>
        refunded.Where(r => r.Mint == mint && r.Buyer == to).Aggregate(0UL, (sum, r) => checked(sum + r.Amount));

    /// <summary>
    /// From activation to the end of the booked time or the moment it ended, whichever is first; empty for a rental
    /// never activated.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) ServedWindow(Rental state)
    {
        if (state.ActivatedAt is not { } start)
            return (default, default);
        var booked = start.AddHours(state.Hours);
        var end = state.EndedAt is { } ended && ended < booked ? ended : booked;
        return end > start ? (start, end) : (start, start);
    }

    /// <summary>The whole seconds (rounded down) the device served in the window, less every span it was unavailable.</summary>
    public static long ServedSeconds(Rental state, Guid device, DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
            return 0;
        var served = end - start;
        var down = TimeSpan.Zero;
        var spans = state.Unavailable.Where(s => s.Device == device)
            .Select(s => (From: s.From < start ? start : s.From, To: s.To is { } to && to < end ? to : end))
            .Where(s => s.To > s.From).OrderBy(s => s.From).ToList();
        var covered = start;
        foreach (var (from, to) in spans)
        {
            // Spans of one device do not overlap as recorded; counting each moment once keeps that true regardless.
            var begin = from > covered ? from : covered;
            if (to > begin)
            {
                down += to - begin;
                covered = to;
            }
        }
        served -= down;
        return served <= TimeSpan.Zero ? 0 : served.Ticks / TimeSpan.TicksPerSecond;
    }

    /// <summary>
    /// Separately rounded payouts can exceed the buyer's charge by a unit or two (IO, whose conversion rounds per part):
    /// the excess comes off the last devices' payouts, so the buyer never pays for rounding.
    /// </summary>
    private static void TrimPayouts(List<SettlementLine> lines, ulong charged)
    {
        var paid = lines.Aggregate(0UL, (sum, l) => checked(sum + l.Payout));
        for (var i = lines.Count - 1; i >= 0 && paid > charged; i--)
        {
            var cut = Math.Min(lines[i].Payout, paid - charged);
            lines[i] = lines[i] with { Payout = lines[i].Payout - cut };
            paid -= cut;
        }
    }
}
