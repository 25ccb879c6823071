using IoNet.Ledger.Rentals;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace IoNet.Marketplace.Settlement;

/// <summary>
/// The settlement reaction: a subscription on the async daemon (HotCold: one replica runs it; its progress survives
/// restarts). A rental that ended (RentalEnded), lapsed with money in escrow (RentalLapsed), or got a payment once over
/// (RentalPaymentReceived) is settled once; the
/// escrow's transfers the indexer stored (RentalSettled, RentalRefunded) make it Settled once all of them are there.
/// Every step is idempotent (a replay decides nothing new), so a crash between the daemon's work and its progress is safe.
/// </summary>
public sealed class SettlementFeed : SubscriptionBase
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly IServiceProvider _services;

    public SettlementFeed(IServiceProvider services)
    {
        _services = services;
        Name = "rental-settlement";
        IncludeType<RentalEnded>();
        IncludeType<RentalLapsed>();
        IncludeType<RentalPaymentReceived>();
        IncludeType<RentalSettled>();
        IncludeType<RentalRefunded>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // Resolved here, not in the constructor: the store builds this subscription while it starts.
        var settlements = _services.GetRequiredService<RentalSettlements>();
        foreach (var e in page.Events)
        {
            Func<Task>? step = e.Data switch
            {
                RentalEnded ended => () => settlements.SettleAsync(ended.Rental, cancellationToken),
                RentalLapsed lapsed => () => settlements.SettleAsync(lapsed.Rental, cancellationToken),
                // A payment recorded after the rental lapsed unpaid (or ended) is refunded if nothing was decided yet.
                RentalPaymentReceived paid => () => settlements.SettleAsync(paid.Rental, cancellationToken),
                RentalSettled settled when Guid.TryParseExact(settled.Rental, "N", out var rental) => () => settlements.CompleteIfPaidAsync(rental, cancellationToken),
                RentalRefunded refunded when Guid.TryParseExact(refunded.Rental, "N", out var rental) => () => settlements.CompleteIfPaidAsync(rental, cancellationToken),
                _ => null,
            };
            if (step is not null)
                await UntilDoneAsync(step, e, cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// A rental is never skipped: while the database, the node's address file or anything else fails, the step is retried
    /// (holding back the events after it) instead of letting the daemon move past it.
    /// </summary>
    private async Task UntilDoneAsync(Func<Task> step, IEvent e, CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await step();
                return;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _services.GetRequiredService<ILogger<SettlementFeed>>().LogWarning(
                    "Settlement: {Event} of stream {Stream} not handled yet ({Error}); retrying in {Wait}", e.EventTypeName, e.StreamKey, failure.Message, wait);
                await Task.Delay(wait, ct);
                wait = wait * 2 < MaxWait ? wait * 2 : MaxWait;
            }
        }
    }
}
