using System.Text;
using IoNet.Indexer.Leases;
using IoNet.Ledger.Chain;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace IoNet.Indexer.Store;

/// <summary>
/// The backfill path: the same contract as <see cref="ChainEventWriter.AppendAsync"/> (one database transaction holds
/// the lease fence, the new streams and their events, and the source's checkpoint; it returns how many transactions it
/// appended), but the events go into Marten's own mt_streams and mt_events tables through a PostgreSQL binary COPY
/// instead of one quick-append function call per stream.
/// <para>
/// The rows are written exactly as Marten's quick append writes them (stream keyed by the signature, no aggregate
/// type, versions 1..n, the event type alias and .NET type name from Marten's event mapping, data serialized by the
/// store's serializer, the deterministic id of <see cref="EventIds.For(IChainEvent)"/>, seq_id drawn from Marten's
/// mt_events_sequence, tenant "*DEFAULT*", the transaction's timestamp), so Marten reads them back unchanged and the
/// async daemon picks them up like any other event.
/// </para>
/// <para>
/// Inline projections do NOT run on this path: nothing but the COPY touches the event tables. Use it only with the
/// projections registered as <see cref="JasperFx.Events.Projections.ProjectionLifecycle.Async"/> (as the services do:
/// the daemon builds the read models afterwards). Only new streams are written: a signature whose stream exists
/// already (a replay, or a transaction found through another source) is skipped, as are repeats within the batch.
/// Two writers racing on the same signatures collide on the stream's primary key; the loser's transaction rolls back
/// whole and is retried, skipping what the winner stored.
/// </para>
/// <para>
/// A lost lease fails the append with a <see cref="LeaseLostException"/> (the fence's own SQLSTATE,
/// <see cref="SourceLeases.LostLeaseSqlState"/>) before anything is written, as on the normal path. mt_event_progression is not
/// touched: the daemon's high-water detection finds the new seq_ids as it finds quick-appended ones.
/// </para>
/// </summary>
public sealed class BulkChainEventWriter(IDocumentStore store, SourceLeases? leases = null) : IChainEventSink
{
    private const string DefaultTenant = "*DEFAULT*";

    private readonly ISerializer _serializer = store.Options.Serializer();
    private readonly Dictionary<Type, (string Alias, string DotNetType)> _mappings = [];

    private string Schema => store.Options.Events.DatabaseSchemaName;

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
            catch (PostgresException e) when (attempt < 3 && e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Another writer stored some of these transactions first: the whole COPY rolled back; look again.
            }
        }
    }

    /// <summary>Creates the Ledger's tables, and the checkpoint's, once per store (see <see cref="LedgerSchema"/>).</summary>
    public Task EnsureSchemaAsync(CancellationToken ct) => LedgerSchema.EnsureAsync(store, ct);

    private async Task<int> TryAppendAsync(string source, string holder, IReadOnlyList<TransactionEvents> batch, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        await LedgerSchema.EnsureAsync(store, ct).ConfigureAwait(false);

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        // (1) One round trip: the lease fence (nothing below runs for a writer that lost its lease), which signatures
        // already have a stream, the seq_ids for the events of the rest, and the transaction's time.
        var withEvents = batch.Where(t => t.Events.Count > 0).DistinctBy(t => t.Signature, StringComparer.Ordinal).ToList();
        var (existing, sequences, now) = await PrepareAsync(connection, tx, source, holder, withEvents, ct).ConfigureAwait(false);
        var fresh = withEvents.Where(t => !existing.Contains(t.Signature)).ToList();
        if (sequences.Length != fresh.Sum(t => t.Events.Count))
            throw new InvalidOperationException($"reserved {sequences.Length} seq_ids for {fresh.Sum(t => t.Events.Count)} events");

        // A Marten session enlisted in this transaction: it names the event types and upserts the checkpoint.
        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(tx)))
        {
            // (2) COPY the new streams and their events.
            if (fresh.Count > 0)
                await CopyAsync(connection, session, fresh, sequences, now, ct).ConfigureAwait(false);

            // (3) The checkpoint, with Marten's own upsert.
            checkpoint.Id = source;
            checkpoint.UpdatedAt = DateTimeOffset.UtcNow;
            session.Store(checkpoint);
            await session.SaveChangesAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return fresh.Count;
    }

    /// <summary>
    /// The fence (<see cref="SourceLeases.AssertHeldSql"/>, written for Marten with '?' placeholders) and, in the same
    /// round trip, the signatures that already have a stream, Marten's own mt_events_sequence values (what its quick
    /// append takes with nextval) for the events of the others, in order, and now().
    /// </summary>
    private async Task<(HashSet<string> Existing, long[] Sequences, DateTimeOffset Now)> PrepareAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string source, string holder, List<TransactionEvents> withEvents, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        if (leases is not null)
        {
            var fence = new NpgsqlBatchCommand(Positional(leases.AssertHeldSql));
            fence.Parameters.Add(new NpgsqlParameter { Value = source, NpgsqlDbType = NpgsqlDbType.Text });
            fence.Parameters.Add(new NpgsqlParameter { Value = holder, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(fence);
        }
        var prepare = new NpgsqlBatchCommand($"""
            with input (id, n) as (select * from unnest($1::varchar[], $2::int[])),
                 existing as (select i.id from input i where exists (select 1 from "{Schema}".mt_streams s where s.id = i.id))
            select now(),
                   array(select id from existing),
                   array(select nextval('"{Schema}".mt_events_sequence')
                         from generate_series(1, (select coalesce(sum(n), 0) from input where id not in (select id from existing))::int))
            """);
        prepare.Parameters.Add(new NpgsqlParameter { Value = withEvents.Select(t => t.Signature).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        prepare.Parameters.Add(new NpgsqlParameter { Value = withEvents.Select(t => t.Events.Count).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        batch.BatchCommands.Add(prepare);

        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        // The fence returns no rows (whether its statement counts as a result set is the driver's business).
        while (reader.FieldCount != 3)
        {
            if (!await reader.NextResultAsync(ct).ConfigureAwait(false))
                throw new InvalidOperationException("the prepare query returned nothing");
        }
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var now = reader.GetFieldValue<DateTimeOffset>(0);
        var existing = new HashSet<string>(reader.GetFieldValue<string[]>(1), StringComparer.Ordinal);
        var sequences = reader.GetFieldValue<long[]>(2);
        return (existing, sequences, now);
    }

    /// <summary>Marten's '?' placeholders as PostgreSQL's $1, $2, … (the fence's SQL has no other question marks).</summary>
    internal static string Positional(string sql)
    {
        var result = new StringBuilder(sql.Length + 8);
        var n = 0;
        foreach (var c in sql)
        {
            if (c == '?')
                result.Append('$').Append(++n);
            else
                result.Append(c);
        }
        return result.ToString();
    }

    private async Task CopyAsync(NpgsqlConnection connection, IDocumentSession session, List<TransactionEvents> fresh, long[] sequences, DateTimeOffset now, CancellationToken ct)
    {
        await using (var streams = await connection.BeginBinaryImportAsync(
            $"COPY \"{Schema}\".mt_streams (id, type, version, timestamp, created, tenant_id, is_archived) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var t in fresh)
            {
                await streams.StartRowAsync(ct).ConfigureAwait(false);
                await streams.WriteAsync(t.Signature, NpgsqlDbType.Varchar, ct).ConfigureAwait(false);
                await streams.WriteNullAsync(ct).ConfigureAwait(false);
                await streams.WriteAsync((long)t.Events.Count, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await streams.WriteAsync(now, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
                await streams.WriteAsync(now, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
                await streams.WriteAsync(DefaultTenant, NpgsqlDbType.Varchar, ct).ConfigureAwait(false);
                await streams.WriteAsync(false, NpgsqlDbType.Boolean, ct).ConfigureAwait(false);
            }
            await streams.CompleteAsync(ct).ConfigureAwait(false);
        }

        await using (var events = await connection.BeginBinaryImportAsync(
            $"COPY \"{Schema}\".mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            var k = 0;
            foreach (var t in fresh)
            {
                long version = 0;
                foreach (var e in t.Events)
                {
                    var (alias, dotNetType) = MappingFor(session, e);
                    await events.StartRowAsync(ct).ConfigureAwait(false);
                    await events.WriteAsync(sequences[k++], NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await events.WriteAsync(EventIds.For(e), NpgsqlDbType.Uuid, ct).ConfigureAwait(false);
                    await events.WriteAsync(t.Signature, NpgsqlDbType.Varchar, ct).ConfigureAwait(false);
                    await events.WriteAsync(++version, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await events.WriteAsync(_serializer.ToJson(e), NpgsqlDbType.Jsonb, ct).ConfigureAwait(false);
                    await events.WriteAsync(alias, NpgsqlDbType.Varchar, ct).ConfigureAwait(false);
                    await events.WriteAsync(now, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
                    await events.WriteAsync(DefaultTenant, NpgsqlDbType.Varchar, ct).ConfigureAwait(false);
                    await events.WriteAsync(dotNetType, NpgsqlDbType.Varchar, ct).ConfigureAwait(false);
                    await events.WriteAsync(false, NpgsqlDbType.Boolean, ct).ConfigureAwait(false);
                }
            }
            await events.CompleteAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Marten's alias and .NET type name for an event's type, as its own append path records them.</summary>
    private (string Alias, string DotNetType) MappingFor(IDocumentSession session, IChainEvent e)
    {
        lock (_mappings)
        {
            if (!_mappings.TryGetValue(e.GetType(), out var mapping))
            {
                var wrapped = session.Events.BuildEvent(e);
                mapping = (wrapped.EventTypeName, wrapped.DotNetTypeName);
                _mappings[e.GetType()] = mapping;
            }
            return mapping;
        }
    }
}
