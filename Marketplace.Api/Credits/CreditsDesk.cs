using IoNet.Ledger.Tokens;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Pricing;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace IoNet.Marketplace.Credits;

/// <summary>
/// The desk's reaction to the Ledger: for each credit purchase the indexer stored (CreditsRequested), decide once what
/// to mint and enqueue the mint in the outbox (<see cref="CreditsStore.DecideOnceAsync"/>). A Marten subscription on
/// the async daemon (one replica runs it at a time, its progress is stored); the decision's key is the burn's
/// signature, so a replay, a restart or a second replica deciding the same burn changes nothing.
/// </summary>
public sealed class CreditsDesk : SubscriptionBase
{
    public const string SubscriptionName = "CreditsDesk";

    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly CreditsStore _credits;
    private readonly IUsdRateSource _rates;
    private readonly ChainAccess _chain;
    private readonly TimeProvider _clock;
    private readonly ILogger<CreditsDesk> _log;
    private readonly CreditsMetrics _metrics;

    public CreditsDesk(CreditsStore credits, IUsdRateSource rates, ChainAccess chain, TimeProvider clock, ILogger<CreditsDesk> log, CreditsMetrics metrics)
    {
        (_credits, _rates, _chain, _clock, _log, _metrics) = (credits, rates, chain, clock, log, metrics);
        Name = SubscriptionName;
        IncludeType<CreditsRequested>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
        {
            if (e.Data is CreditsRequested requested)
                await DecideUntilStoredAsync(requested, operations, cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// A burn is never skipped: while the database, the address file or the rate source fails, the desk retries this
    /// burn (and so holds back the ones after it) instead of letting the daemon move past it.
    /// </summary>
    private async Task DecideUntilStoredAsync(CreditsRequested requested, IQuerySession session, CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await DecideAsync(requested, session, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _log.LogWarning("Credits desk: burn {Burn} not decided yet ({Error}); retrying in {Wait}", requested.Signature, e.Message, wait);
                await Task.Delay(wait, ct);
                wait = wait * 2 < MaxWait ? wait * 2 : MaxWait;
            }
        }
    }

    private async Task DecideAsync(CreditsRequested requested, IQuerySession session, CancellationToken ct)
    {
        var burn = await SeenAsync(requested, session, ct);
        var rate = await _rates.MicroUsdPerIoAsync(ct);
        var (decision, isNew) = await _credits.DecideOnceAsync(burn, rate, _chain.Network.Io.Decimals, _clock.GetUtcNow(), ct);
        if (!isNew)
            return;
        _metrics.Decided(decision);
        if (decision.Mints)
        {
            _log.LogInformation("Credits desk: burn {Burn} of {Io} IO base units by {Buyer}: minting {Iosd} IOSD base units at {Rate} micro-USD/IO ({Source}){Why}",
                burn.Signature, burn.IoBurned, burn.Buyer, decision.Iosd, decision.Rate, decision.Source,
                decision.QuoteNotHonoured is { } why ? $"; quote not honoured: {why}" : "");
        }
        else
        {
            _log.LogWarning("Credits desk: burn {Burn} by {Buyer} is not minted: {Refused}", burn.Signature, burn.Buyer, decision.Refused);
        }
    }

    /// <summary>The purchase with what else its transaction burned (the indexer stores a transaction's events as one stream, at once). The store is not injected: it owns this subscription.</summary>
    private async Task<BurnSeen> SeenAsync(CreditsRequested requested, IQuerySession session, CancellationToken ct)
    {
        var io = _chain.Network.Io.Address.ToString();
        var events = await session.Events.FetchStreamAsync(requested.Signature, token: ct);
        var purchases = 0;
        UInt128 ioBurned = 0;
        var otherBurns = 0;
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case CreditsRequested:
                    purchases++;
                    break;
                case TokensBurned b when b.Mint == io:
                    ioBurned += b.Amount;
                    break;
                case TokensBurned or FeesBurned:
                    otherBurns++;
                    break;
            }
        }
        return new BurnSeen(requested.Signature, requested.Slot, requested.BlockTime, requested.Buyer, requested.IoBurned,
            requested.RateMicroUsd, requested.Quote, purchases, ioBurned, otherBurns);
    }
}
