using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Quotes;

namespace IoNet.Marketplace.Rentals;

// Commands on a rental carry who acts and when; the deciders read neither clock nor store.

/// <summary>
/// The indexer stored a RentalFunded for this rental: <paramref name="Amount"/> of <paramref name="Mint"/> into the token
/// account <paramref name="Vault"/>. <paramref name="RentalMint"/> is the mint of the rental's currency and
/// <paramref name="RentalVault"/> the escrow vault of that mint: only a payment in both counts.
/// </summary>
public sealed record RecordPayment(
    string Signature, string Path, string Payer, string Mint, string Vault, ulong Amount, string RentalMint, string RentalVault, DateTimeOffset Now);

/// <summary>Time passed: payment windows close, booked time runs out.</summary>
public sealed record CheckTimers(DateTimeOffset Now);

/// <summary>The buyer asks for more hours at the same prices; <paramref name="Price"/> is what they cost (RentalPrice.Of).</summary>
public sealed record RequestExtension(Guid Extension, string Wallet, int Hours, RentalPrice Price, TimeSpan PaymentWindow, DateTimeOffset Now);

/// <summary>The buyer ends the rental (early, or gives up an unpaid one).</summary>
public sealed record EndRental(string Wallet, DateTimeOffset Now);

/// <summary>A hired device stopped serving for a while (down) or serves again.</summary>
public sealed record MarkDeviceServing(Guid Device, bool Serving, string Reason, DateTimeOffset Now);

/// <summary>
/// A hired device is gone for good: it failed (<see cref="RentalEndReason.DeviceFailed"/>) or its supplier took it out
/// of service or was blocked (<see cref="RentalEndReason.SupplierUnavailable"/>). The cluster is broken: the rental ends.
/// </summary>
public sealed record LoseDevice(Guid Device, RentalEndReason Reason, string Detail, DateTimeOffset Now);

public enum RentalRejection
{
    NotFound,
    NotOwner,
    Conflict,
    Invalid,
}

/// <summary>Accepted with the events to append (none when nothing changes), or rejected with why.</summary>
public sealed record RentalDecision(IReadOnlyList<object> Events, RentalRejection? Rejection, string? Detail)
{
    public static RentalDecision Accept(params object[] events) => new(events, null, null);

    public static RentalDecision Reject(RentalRejection rejection, string detail) => new([], rejection, detail);

    /// <summary>The rental is over: its devices go back to the order book (ReleaseDevices).</summary>
    public bool ReleasesDevices => Events.Any(e => e is RentalLapsed or RentalEnded);
}

/// <summary>
/// Decide(state, command) -> events for a rental's stream: Matched → AwaitingPayment → Active → Completed or Terminated
/// (or Lapsed, never paid) → Settled.
/// </summary>
public static class RentalDecisions
{
    /// <summary>
    /// The rental a fill creates: its devices with their asks' terms (<paramref name="devices"/>, in the fill's order),
    /// and what the buyer owes, due by <paramref name="deadline"/>.
    /// </summary>
    public static RentalMatched Match(BidFilled filled, IReadOnlyList<RentalDevice> devices, RentalPrice price, DateTimeOffset deadline) =>
        new(filled.RentalId, filled.BidId, filled.Buyer, filled.GpuCount, filled.Hours, filled.Currency, devices,
            filled.TotalPerHour, price.SubtotalMicroUsd, price.BuyerFeeMicroUsd, price.TotalMicroUsd, price.IoRateMicroUsd,
            price.Total, deadline, filled.At);

    public static RentalDecision Decide(Rental? state, RecordPayment c)
    {
        if (state is null)
            return RentalDecision.Reject(RentalRejection.NotFound, "No such rental.");
        if (state.Payments.Exists(p => p.Signature == c.Signature && p.Path == c.Path))
            return RentalDecision.Accept();
        var counted = c.Mint == c.RentalMint && c.Vault == c.RentalVault;
        var events = new List<object> { new RentalPaymentReceived(state.RentalId, c.Signature, c.Path, c.Payer, c.Mint, c.Vault, c.Amount, counted, c.Now) };
        var funded = counted ? checked(state.Funded + c.Amount) : state.Funded;
        if (state.Status == RentalStatus.AwaitingPayment && funded >= state.AmountDue)
            events.Add(new RentalActivated(state.RentalId, funded, c.Now.AddHours(state.Hours), c.Now));
        else if (state.Status == RentalStatus.Active && state.Extension is { } extension && funded >= checked(state.AmountDue + extension.AmountDue))
            events.Add(new RentalExtended(state.RentalId, extension.Id, extension.Hours, state.EndsAt!.Value.AddHours(extension.Hours), c.Now));
        return RentalDecision.Accept([.. events]);
    }

    public static RentalDecision Decide(Rental? state, CheckTimers c)
    {
        if (state is null)
            return RentalDecision.Reject(RentalRejection.NotFound, "No such rental.");
        return state.Status switch
        {
            RentalStatus.AwaitingPayment when c.Now >= state.PaymentDeadline =>
                RentalDecision.Accept(new RentalLapsed(state.RentalId, state.Funded, c.Now)),
            RentalStatus.Active when c.Now >= state.EndsAt =>
                RentalDecision.Accept(new RentalEnded(state.RentalId, RentalEndReason.Completed, "market", c.Now)),
            RentalStatus.Active when state.Extension is { } extension && c.Now >= extension.PaymentDeadline =>
                RentalDecision.Accept(new RentalExtensionLapsed(state.RentalId, extension.Id, c.Now)),
            _ => RentalDecision.Accept(),
        };
    }

    public static RentalDecision Decide(Rental? state, RequestExtension c)
    {
        if (Owned(state, c.Wallet) is { } rejected)
            return rejected;
        if (state!.Status != RentalStatus.Active)
            return RentalDecision.Reject(RentalRejection.Conflict, $"Only an active rental can be extended; this one is {state.Status}.");
        if (state.Extension is { } pending)
            return RentalDecision.Reject(RentalRejection.Conflict,
                $"Extension {pending.Id:N} of {pending.Hours} h is waiting for its payment until {pending.PaymentDeadline:O}.");
        if (c.Hours is < 1 or > MarketLimits.MaxHours)
            return RentalDecision.Reject(RentalRejection.Invalid, $"An extension adds 1 to {MarketLimits.MaxHours} hours.");
        var hours = state.Hours + c.Hours;
        var endsAt = state.EndsAt!.Value.AddHours(c.Hours);
        foreach (var device in state.Devices)
        {
            if (hours > device.MaxHours)
                return RentalDecision.Reject(RentalRejection.Conflict,
                    $"Device {device.Device:N} is offered for at most {device.MaxHours} h; the rental would last {hours} h.");
            if (endsAt > device.AvailableUntil)
                return RentalDecision.Reject(RentalRejection.Conflict,
                    $"Device {device.Device:N} is available until {device.AvailableUntil:O}; the rental would end at {endsAt:O}.");
        }
        var price = c.Price;
        var events = new List<object>
        {
            new RentalExtensionRequested(state.RentalId, c.Extension, c.Hours, price.SubtotalMicroUsd, price.BuyerFeeMicroUsd,
                price.TotalMicroUsd, price.Total, c.Now + c.PaymentWindow, c.Now),
        };
        // An earlier overpayment pays for the extension at once.
        if (state.Funded >= checked(state.AmountDue + price.Total))
            events.Add(new RentalExtended(state.RentalId, c.Extension, c.Hours, endsAt, c.Now));
        return RentalDecision.Accept([.. events]);
    }

    public static RentalDecision Decide(Rental? state, EndRental c)
    {
        if (Owned(state, c.Wallet) is { } rejected)
            return rejected;
        return state!.Status switch
        {
            RentalStatus.AwaitingPayment => RentalDecision.Accept(new RentalLapsed(state.RentalId, state.Funded, c.Now)),
            RentalStatus.Active => RentalDecision.Accept(new RentalEnded(state.RentalId, RentalEndReason.BuyerEnded, c.Wallet, c.Now)),
            _ => RentalDecision.Reject(RentalRejection.Conflict, $"The rental is already over ({state.Status})."),
        };
    }

    public static RentalDecision Decide(Rental? state, MarkDeviceServing c)
    {
        if (state is null)
            return RentalDecision.Reject(RentalRejection.NotFound, "No such rental.");
        if (!state.Devices.Exists(d => d.Device == c.Device))
            return RentalDecision.Reject(RentalRejection.Invalid, $"Device {c.Device:N} is not part of this rental.");
        if (state.Status != RentalStatus.Active)
            return RentalDecision.Accept();
        var open = state.Unavailable.Exists(s => s.Device == c.Device && s.To is null);
        return (c.Serving, open) switch
        {
            (false, false) => RentalDecision.Accept(new RentalDeviceUnavailable(state.RentalId, c.Device, c.Reason, c.Now)),
            (true, true) => RentalDecision.Accept(new RentalDeviceAvailable(state.RentalId, c.Device, c.Now)),
            _ => RentalDecision.Accept(),
        };
    }

    public static RentalDecision Decide(Rental? state, LoseDevice c)
    {
        if (state is null)
            return RentalDecision.Reject(RentalRejection.NotFound, "No such rental.");
        if (!state.Devices.Exists(d => d.Device == c.Device))
            return RentalDecision.Reject(RentalRejection.Invalid, $"Device {c.Device:N} is not part of this rental.");
        if (c.Reason is not (RentalEndReason.DeviceFailed or RentalEndReason.SupplierUnavailable))
            return RentalDecision.Reject(RentalRejection.Invalid, "A lost device ends a rental as DeviceFailed or SupplierUnavailable.");
        return state.Status switch
        {
            RentalStatus.Active => RentalDecision.Accept(new RentalEnded(state.RentalId, c.Reason, $"device {c.Device:N}: {c.Detail}", c.Now)),
            // Not paid yet: nothing to run on it; the payment window lapses it (and any payment is refunded).
            _ => RentalDecision.Accept(),
        };
    }

    private static RentalDecision? Owned(Rental? state, string wallet) =>
        state is null ? RentalDecision.Reject(RentalRejection.NotFound, "No such rental.")
        : state.Buyer != wallet ? RentalDecision.Reject(RentalRejection.NotOwner, "Only the rental's buyer may do this.")
        : null;
}
