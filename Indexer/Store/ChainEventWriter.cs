using IoNet.Indexer.Leases;
using IoNet.Ledger.Chain;
using Marten;
using Marten.Exceptions;
using Npgsql;

namespace IoNet.Indexer.Store;

/// <summary>One transaction's events, appended as a stream keyed by its signature.</summary>
public sealed record TransactionEvents(string Signature, IReadOnlyList<IChainEvent> Events);

/// <summary>
/// Appends decoded transactions and the source's checkpoint in ONE database transaction, fenced by the source's
/// lease (a lost lease throws <see cref="LeaseLostException"/>, nothing written). Idempotent: a transaction whose
/// stream already exists (a replay, or found through another source) is skipped, and deterministic event ids make a
/// race between two writers fail instead of doubling anything.
/// </summary>
public sealed class ChainEventWriter(IDocumentStore store, SourceLeases? leases = null) : IChainEventSink
{
    public async Task<int> AppendAsync(
        string source, string holder, IReadOnlyList<TransactionEvents> batch, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TryAppendAsync(source, holder, batch, checkpoint, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not LeaseLostException && SourceLeases.IsLostLease(e))
            {
                throw new LeaseLostException(source, holder, e);
            }
            catch (Exception e) when (attempt < 3 && IsDuplicate(e))
            {
                // Another writer stored some of these transactions first: look again and skip them.
            }
        }
    }

    private async Task<int> TryAppendAsync(string source, string holder, IReadOnlyList<TransactionEvents> batch, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        await LedgerSchema.EnsureAsync(store, ct).ConfigureAwait(false);
        await using var session = store.LightweightSession();
        var withEvents = batch.Where(t => t.Events.Count > 0).DistinctBy(t => t.Signature).ToList();
        var existing = await ExistingStreamsAsync(session, withEvents.Select(t => t.Signature).ToArray(), ct).ConfigureAwait(false);
        if (leases is not null)
            session.QueueSqlCommand(leases.AssertHeldSql, source, holder);
        var appended = 0;
        foreach (var tx in withEvents)
        {
            if (existing.Contains(tx.Signature))
                continue;
            var events = tx.Events.Select(e =>
            {
                var wrapped = session.Events.BuildEvent(e);
                wrapped.Id = EventIds.For(e);
                return (object)wrapped;
            }).ToArray();
            session.Events.StartStream(tx.Signature, events);
            appended++;
        }
        checkpoint.Id = source;
        checkpoint.UpdatedAt = DateTimeOffset.UtcNow;
        session.Store(checkpoint);
        await session.SaveChangesAsync(ct).ConfigureAwait(false);
        return appended;
    }

    /// <summary>Creates the Ledger's tables, and the checkpoint's, once per store (see <see cref="LedgerSchema"/>).</summary>
    public Task EnsureSchemaAsync(CancellationToken ct) => LedgerSchema.EnsureAsync(store, ct);

    private static bool IsDuplicate(Exception e) =>
        e is ExistingStreamIdCollisionException
        || e is MartenCommandException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } };

    /// <summary>
    /// The signatures among <paramref name="signatures"/> already stored (found earlier through another source, or a
    /// replay): the crawler need not fetch them again.
    /// </summary>
    public async Task<HashSet<string>> StoredAsync(IReadOnlyCollection<string> signatures, CancellationToken ct)
    {
        if (signatures.Count == 0)
            return [];
        await LedgerSchema.EnsureAsync(store, ct).ConfigureAwait(false);
        await using var session = store.QuerySession();
        return await ExistingStreamsAsync(session, [.. signatures], ct).ConfigureAwait(false);
    }

    private async Task<HashSet<string>> ExistingStreamsAsync(IQuerySession session, string[] signatures, CancellationToken ct)
    {
        if (signatures.Length == 0)
            return [];
        var table = $"\"{store.Options.Events.DatabaseSchemaName}\".mt_streams";
        var found = await session.AdvancedSql.QueryAsync<string>($"select id from {table} where id = ANY(?)", ct, [signatures]).ConfigureAwait(false);
        return [.. found];
    }
}
