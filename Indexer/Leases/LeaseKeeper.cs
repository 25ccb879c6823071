namespace IoNet.Indexer.Leases;

/// <summary>
/// Keeps one lease renewed (every third of its time-to-live) while a long one-shot job works under it, so a backfill
/// longer than the time-to-live is not fenced out half-way. <see cref="Lost"/> says when another holder took it.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LeaseKeeper(SourceLeases leases, string source, string holder)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(leases.TimeToLive / 3);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        if (!await leases.TryAcquireAsync(source, holder, _stop.Token).ConfigureAwait(false))
                        {
                            Lost = true;
                            return;
                        }
                    }
                    catch (Npgsql.NpgsqlException)
                    {
                        // A failed renewal is not a lost lease: try again on the next tick (the appends are fenced anyway).
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public bool Lost { get; private set; }

    /// <summary>Takes the lease and keeps it; null when another holder has it.</summary>
    public static async Task<LeaseKeeper?> AcquireAsync(SourceLeases leases, string source, string holder, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(leases);
        return await leases.TryAcquireAsync(source, holder, ct).ConfigureAwait(false) ? new LeaseKeeper(leases, source, holder) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
