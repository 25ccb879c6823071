using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Quotes;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace IoNet.Marketplace.Rentals;

/// <summary>
/// Activation: a subscription (async daemon, HotCold: one replica runs it, and its progress survives restarts) on the
/// RentalFunded events the indexer writes. Each payment is recorded on its rental (once: by signature and path); the
/// rental becomes Active when the payments in its own mint add up to what is due, and a pending extension is paid the
/// same way. A payment in another mint is recorded but never counts; one to another address never becomes a
/// RentalFunded at all. A RentalFunded for an id the marketplace never matched is ignored.
/// </summary>
public sealed class RentalPaymentFeed : SubscriptionBase
{
    private readonly IServiceProvider _services;

    public RentalPaymentFeed(IServiceProvider services)
    {
        _services = services;
        Name = "rental-payments";
        IncludeType<RentalFunded>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var rentals = _services.GetRequiredService<RentalStreams>();
        var chain = _services.GetRequiredService<ChainAccess>();
        var clock = _services.GetRequiredService<TimeProvider>();
        foreach (var e in page.Events)
        {
            if (e.Data is not RentalFunded funded || !Guid.TryParseExact(funded.Rental, "N", out var rental))
                continue;
            await rentals.ChangeAsync(rental, state =>
            {
                if (state is null)
                    return RentalDecision.Accept();
                var mint = PaymentCurrency.Mint(state.Currency, chain.Network);
                return RentalDecisions.Decide(state, new RecordPayment(funded.Signature, funded.Path, funded.Payer, funded.Mint, funded.Vault,
                    funded.Amount, mint.Address.ToString(), chain.Network.EscrowVault(mint).ToString(), clock.GetUtcNow()));
            }, cancellationToken);
        }
        return NullChangeListener.Instance;
    }
}
