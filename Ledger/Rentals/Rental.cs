using IoNet.Ledger.Market;

namespace IoNet.Ledger.Rentals;

/// <summary>
/// A rental (a cluster of hired devices) as the marketplace, settlement and the explorer read it: the inline snapshot
/// of its stream (document id = stream key = the rental Guid as 32 hex digits, the key RentalEscrow and the memos use).
/// <see cref="Create"/> and the Apply methods are the pure Evolve of its state.
/// </summary>
public sealed class Rental
{
    public string Id { get; set; } = "";
    public Guid RentalId { get; set; }
    public Guid BidId { get; set; }
    public string Buyer { get; set; } = "";

    /// <summary>The distinct supplier wallets of its devices (for "my rentals" as a supplier).</summary>
    public List<string> Suppliers { get; set; } = [];

    public int GpuCount { get; set; }

    /// <summary>Booked hours: the bid's, plus every paid extension.</summary>
    public int Hours { get; set; }

    public PaymentCurrencies Currency { get; set; }
    public List<RentalDevice> Devices { get; set; } = [];

    /// <summary>Σ price × GPUs over the devices, micro-USD per hour.</summary>
    public ulong PerHourMicroUsd { get; set; }

    /// <summary>What the booked hours cost the buyer in USD: Σ (subtotal + buyer fee) of the match and the paid extensions.</summary>
    public ulong TotalMicroUsd { get; set; }

    public ulong? IoRateMicroUsd { get; set; }

    /// <summary>Base units of <see cref="Currency"/> due for the booked hours (match + paid extensions).</summary>
    public ulong AmountDue { get; set; }

    /// <summary>Base units received in the rental's mint (every counted payment, overpayment included).</summary>
    public ulong Funded { get; set; }

    public List<RentalPayment> Payments { get; set; } = [];
    public RentalStatus Status { get; set; }
    public DateTimeOffset MatchedAt { get; set; }
    public DateTimeOffset PaymentDeadline { get; set; }
    public DateTimeOffset? ActivatedAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public RentalEndReason? EndReason { get; set; }
    public PendingExtension? Extension { get; set; }

    /// <summary>The pending extension's payment deadline (flat, for the timers' query).</summary>
    public DateTimeOffset? ExtensionDeadline { get; set; }
    public List<PaidExtension> Extensions { get; set; } = [];

    /// <summary>Spans in which a hired device did not serve (open while <see cref="UnavailableSpan.To"/> is null).</summary>
    public List<UnavailableSpan> Unavailable { get; set; } = [];

    /// <summary>What settlement decided to pay (null until the rental is over and settled).</summary>
    public RentalSettlementDecided? Settlement { get; set; }

    public DateTimeOffset? SettledAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>What is still to pay: the booked hours and a requested extension, less what was funded (never negative).</summary>
    public ulong Outstanding
    {
        get
        {
            var due = checked(AmountDue + (Extension?.AmountDue ?? 0));
            return due > Funded ? due - Funded : 0;
        }
    }

    /// <summary>
    /// What was paid beyond the booked hours (and beyond a pending extension): settlement refunds it with the unused
    /// time. Payments that did not count (another mint) are refunded in their own mint: see <see cref="Payments"/>.
    /// </summary>
    public ulong Overpaid
    {
        get
        {
            var due = checked(AmountDue + (Extension?.AmountDue ?? 0));
            return Funded > due ? Funded - due : 0;
        }
    }

    /// <summary>Over (Completed, Terminated, or Lapsed with money to return) and not yet settled: settlement's work list.</summary>
    public bool AwaitsSettlement =>
        Status is RentalStatus.Completed or RentalStatus.Terminated || (Status == RentalStatus.Lapsed && Payments.Count > 0);

    public static string StreamKey(Guid rental) => rental.ToString("N");

    public static Rental Create(RentalMatched e) => new()
    {
        Id = StreamKey(e.Rental), RentalId = e.Rental, BidId = e.Bid, Buyer = e.Buyer,
        Suppliers = e.Devices.Select(d => d.Supplier).Distinct(StringComparer.Ordinal).ToList(),
        GpuCount = e.GpuCount, Hours = e.Hours, Currency = e.Currency, Devices = [.. e.Devices],
        PerHourMicroUsd = e.PerHourMicroUsd, TotalMicroUsd = e.TotalMicroUsd, IoRateMicroUsd = e.IoRateMicroUsd,
        AmountDue = e.AmountDue, Status = RentalStatus.AwaitingPayment, MatchedAt = e.At, PaymentDeadline = e.PaymentDeadline,
        UpdatedAt = e.At,
    };

    public void Apply(RentalPaymentReceived e)
    {
        Payments.Add(new RentalPayment(e.Signature, e.Path, e.Payer, e.Mint, e.Vault, e.Amount, e.Counted, e.At));
        if (e.Counted)
            Funded = checked(Funded + e.Amount);
        UpdatedAt = e.At;
    }

    public void Apply(RentalActivated e) => (Status, ActivatedAt, EndsAt, UpdatedAt) = (RentalStatus.Active, e.At, e.EndsAt, e.At);

    public void Apply(RentalExtensionRequested e)
    {
        Extension = new PendingExtension(e.Extension, e.Hours, e.TotalMicroUsd, e.AmountDue, e.PaymentDeadline, e.At);
        ExtensionDeadline = e.PaymentDeadline;
        UpdatedAt = e.At;
    }

    public void Apply(RentalExtended e)
    {
        var paid = Extension!;
        Extensions.Add(new PaidExtension(e.Extension, e.Hours, paid.TotalMicroUsd, paid.AmountDue, e.At));
        Hours += e.Hours;
        TotalMicroUsd = checked(TotalMicroUsd + paid.TotalMicroUsd);
        AmountDue = checked(AmountDue + paid.AmountDue);
        Extension = null;
        ExtensionDeadline = null;
        EndsAt = e.EndsAt;
        UpdatedAt = e.At;
    }

    public void Apply(RentalExtensionLapsed e) => (Extension, ExtensionDeadline, UpdatedAt) = (null, null, e.At);

    public void Apply(RentalLapsed e) => (Status, Extension, ExtensionDeadline, EndedAt, UpdatedAt) = (RentalStatus.Lapsed, null, null, e.At, e.At);

    public void Apply(RentalEnded e)
    {
        Status = e.Reason == RentalEndReason.Completed ? RentalStatus.Completed : RentalStatus.Terminated;
        EndReason = e.Reason;
        EndedAt = e.At;
        Extension = null;
        ExtensionDeadline = null;
        foreach (var span in Unavailable.Where(s => s.To is null).ToList())
            Unavailable[Unavailable.IndexOf(span)] = span with { To = e.At };
        UpdatedAt = e.At;
    }

    public void Apply(RentalDeviceUnavailable e)
    {
        if (!Unavailable.Any(s => s.Device == e.Device && s.To is null))
            Unavailable.Add(new UnavailableSpan(e.Device, e.Reason, e.At, null));
        UpdatedAt = e.At;
    }

    public void Apply(RentalDeviceAvailable e)
    {
        var open = Unavailable.FindIndex(s => s.Device == e.Device && s.To is null);
        if (open >= 0)
            Unavailable[open] = Unavailable[open] with { To = e.At };
        UpdatedAt = e.At;
    }

    public void Apply(RentalSettlementDecided e) => (Settlement, UpdatedAt) = (e, e.At);

    public void Apply(RentalSettlementCompleted e) => (Status, SettledAt, UpdatedAt) = (RentalStatus.Settled, e.At, e.At);

    /// <summary>One step of the fold: the state after <paramref name="e"/> (the same object, changed, once it exists).</summary>
    public static Rental? After(Rental? state, object e)
    {
        switch (e)
        {
            case RentalMatched m: return Create(m);
            case RentalPaymentReceived p: state?.Apply(p); break;
            case RentalActivated a: state?.Apply(a); break;
            case RentalExtensionRequested r: state?.Apply(r); break;
            case RentalExtended x: state?.Apply(x); break;
            case RentalExtensionLapsed l: state?.Apply(l); break;
            case RentalLapsed l: state?.Apply(l); break;
            case RentalEnded x: state?.Apply(x); break;
            case RentalDeviceUnavailable u: state?.Apply(u); break;
            case RentalDeviceAvailable a: state?.Apply(a); break;
            case RentalSettlementDecided d: state?.Apply(d); break;
            case RentalSettlementCompleted c: state?.Apply(c); break;
        }
        return state;
    }

    /// <summary>Folds a stream's events (the first one <see cref="RentalMatched"/>) into the state; for deciders and tests.</summary>
    public static Rental? Replay(IEnumerable<object> events) => events.Aggregate((Rental?)null, After);
}

/// <summary>A payment seen for the rental (<see cref="Counted"/>: in the rental's mint, into its escrow vault).</summary>
public sealed record RentalPayment(string Signature, string Path, string Payer, string Mint, string Vault, ulong Amount, bool Counted, DateTimeOffset At);

/// <summary>An extension asked for and not yet paid.</summary>
public sealed record PendingExtension(Guid Id, int Hours, ulong TotalMicroUsd, ulong AmountDue, DateTimeOffset PaymentDeadline, DateTimeOffset RequestedAt);

/// <summary>An extension paid: its hours were added to the rental.</summary>
public sealed record PaidExtension(Guid Id, int Hours, ulong TotalMicroUsd, ulong AmountDue, DateTimeOffset At);

/// <summary>A span in which a hired device did not serve; <see cref="To"/> is null while it lasts.</summary>
public sealed record UnavailableSpan(Guid Device, string Reason, DateTimeOffset From, DateTimeOffset? To);
