using IoNet.Ledger.Rentals;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace IoNet.Marketplace.Settlement;

/// <summary>
/// The settlement reaction: a subscription on the async daemon (HotCold: one replica runs it; its progress survives
/// restarts). A rental that ended (RentalEnded) or lapsed with money in escrow (RentalLapsed) is settled once; the
/// escrow's transfers the indexer stored (RentalSettled, RentalRefunded) make it Settled once all of them are there.
/// Every step is idempotent (a replay decides nothing new), so a crash between the daemon's work and its progress is safe.
/// </summary>
public sealed class SettlementFeed : SubscriptionBase
{
    private readonly IServiceProvider _services;

    public SettlementFeed(IServiceProvider services)
    {
        _services = services;
        Name = "rental-settlement";
        IncludeType<RentalEnded>();
        IncludeType<RentalLapsed>();
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
            switch (e.Data)
            {
                case RentalEnded ended:
                    await settlements.SettleAsync(ended.Rental, cancellationToken);
                    break;
                case RentalLapsed lapsed:
                    await settlements.SettleAsync(lapsed.Rental, cancellationToken);
                    break;
                case RentalSettled settled when Guid.TryParseExact(settled.Rental, "N", out var rental):
                    await settlements.CompleteIfPaidAsync(rental, cancellationToken);
                    break;
                case RentalRefunded refunded when Guid.TryParseExact(refunded.Rental, "N", out var rental):
                    await settlements.CompleteIfPaidAsync(rental, cancellationToken);
                    break;
            }
        }
        return NullChangeListener.Instance;
    }
}
