using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Orders;
using Marten;
using Npgsql;

namespace IoNet.Marketplace.Rentals;

/// <summary>
/// The market's timers, every Marketplace:Market:TickPeriod on every replica (decisions are optimistic, so two replicas
/// deciding the same rental append it once): the engine's clock advances (bids expire); unpaid rentals lapse after
/// their payment window; active ones complete when their booked time ran out; unpaid extensions lapse; and devices
/// of rentals that are over but still held in the book (a crash between the two writes) are released.
/// </summary>
public sealed class RentalMonitor(
    IDocumentStore store, OrderBookHost book, RentalStreams rentals, MarketSettings settings, TimeProvider clock, ILogger<RentalMonitor> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await book.Ready.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(settings.TickPeriod);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or MarketUnavailableException or Marten.Exceptions.MartenCommandException)
            {
                log.LogWarning("The market's timers failed this time: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass of every timer (tests call it after moving their clock).</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        await book.SendAsync(new EngineInput(new AdvanceClock(default)), ct);
        var now = clock.GetUtcNow();
        // Candidates only: PostgreSQL keeps microseconds (a stored time may round up past now), so look 1 ms ahead and
        // let the decider, which compares the exact times, say what is due.
        var horizon = now.AddMilliseconds(1);
        var due = new List<Rental>();
        await using (var session = store.QuerySession())
        {
            due.AddRange(await session.Query<Rental>().Where(r => r.EndedAt == null && r.ActivatedAt == null && r.PaymentDeadline <= horizon).Take(1000).ToListAsync(ct));
            due.AddRange(await session.Query<Rental>().Where(r => r.EndedAt == null && r.EndsAt != null && r.EndsAt <= horizon).Take(1000).ToListAsync(ct));
            due.AddRange(await session.Query<Rental>().Where(r => r.EndedAt == null && r.ExtensionDeadline != null && r.ExtensionDeadline <= horizon).Take(1000).ToListAsync(ct));
        }
        foreach (var rental in due.DistinctBy(r => r.RentalId))
            await rentals.ChangeAsync(rental.RentalId, state => RentalDecisions.Decide(state, new CheckTimers(now)), ct);

        // Devices still held for rentals that are over (their release did not happen): release them now.
        var held = await book.QueryAsync((engine, _) => engine.ActiveRentalIds(), ct);
        if (held.Count == 0)
            return;
        IReadOnlyList<Rental> over;
        await using (var session = store.QuerySession())
            over = await session.LoadManyAsync<Rental>(ct, held.Select(Rental.StreamKey).ToArray());
        foreach (var rental in over.Where(r => r.EndedAt is not null))
            await rentals.ReleaseAsync(rental.RentalId, ct);
    }
}
