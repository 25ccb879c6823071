using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Orders;
using Marten;

namespace IoNet.Marketplace.Rentals;

/// <summary>
/// Load a rental's stream, decide, append (optimistic: a concurrent append makes the save fail and the caller decides
/// again), and hand a finished rental's devices back to the order book. Every writer of rentals goes through here.
/// </summary>
public sealed class RentalStreams(IDocumentStore store, OrderBookHost book, ILogger<RentalStreams> log)
{
    /// <summary>The decision and the rental after it (null when there is no such rental).</summary>
    public async Task<(RentalDecision Decision, Rental? Rental)> ChangeAsync(Guid rental, Func<Rental?, RentalDecision> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ChangeOnceAsync(rental, decide, ct);
            }
            catch (Exception e) when (attempt < 3 && e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                // Another writer (a replica's timer, the payment feed) changed the rental meanwhile: decide on its new state.
            }
        }
    }

    private async Task<(RentalDecision, Rental?)> ChangeOnceAsync(Guid rental, Func<Rental?, RentalDecision> decide, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<Rental>(Rental.StreamKey(rental), ct);
        var state = stream.Aggregate;
        var decision = decide(state);
        if (decision.Rejection is not null || decision.Events.Count == 0)
            return (decision, state);
        stream.AppendMany(decision.Events);
        await session.SaveChangesAsync(ct);
        state = decision.Events.Aggregate(state, Rental.After);
        if (decision.ReleasesDevices)
            await ReleaseAsync(rental, ct);
        return (decision, state);
    }

    /// <summary>Returns a finished rental's devices to the book (refused quietly when they already were).</summary>
    public async Task ReleaseAsync(Guid rental, CancellationToken ct)
    {
        var outcome = await book.SendAsync(new EngineInput(new ReleaseDevices(rental, default)), ct);
        if (outcome.Rejection is { Code: not RejectionCode.NotFound } rejection)
            log.LogWarning("Releasing the devices of rental {Rental} was refused: {Reason}", rental, rejection.Reason);
    }
}
