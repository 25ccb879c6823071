using IoNet.Ledger.Rentals;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace IoNet.Marketplace.Claims;

/// <summary>
/// Claims are confirmed by the chain, as settlements are: a subscription on the async daemon over the RentalSettled
/// events the indexer stores. A transfer of an accrued earning marks it paid (whoever sent it), and a claim is Paid once
/// all of its earnings are. Idempotent, so a replay after a crash changes nothing.
/// </summary>
public sealed class ClaimsFeed : SubscriptionBase
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly IServiceProvider _services;

    public ClaimsFeed(IServiceProvider services)
    {
        _services = services;
        Name = "supplier-claims";
        IncludeType<RentalSettled>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var store = _services.GetRequiredService<ClaimsStore>();
        var clock = _services.GetRequiredService<TimeProvider>();
        var log = _services.GetRequiredService<ILogger<ClaimsFeed>>();
        foreach (var e in page.Events)
        {
            if (e.Data is not RentalSettled settled)
                continue;
            var wait = TimeSpan.FromMilliseconds(250);
            while (true)
            {
                try
                {
                    foreach (var (claim, wallet) in await store.RecordPaidAsync(settled, clock.GetUtcNow(), log, cancellationToken))
                        log.LogInformation("Claim {Claim} of {Wallet} is paid ({Signature})", claim, wallet, settled.Signature);
                    break;
                }
                catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Never skip a transfer: a missed one would leave an earning claimable after it was paid.
                    log.LogWarning("Claims: {Signature} not recorded yet ({Error}); retrying in {Wait}", settled.Signature, failure.Message, wait);
                    await Task.Delay(wait, cancellationToken);
                    wait = wait * 2 < MaxWait ? wait * 2 : MaxWait;
                }
            }
        }
        return NullChangeListener.Instance;
    }
}
