using IoNet.Marketplace.Http;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace IoNet.Marketplace.Chain;

/// <summary>
/// The outbox's table (mkt_outbox): one row per intent, keyed by its business operation. Every change of a row is a
/// single conditional UPDATE (compare-and-set on its state, attempt or signature), so a stale processor's write
/// changes nothing; the processor that holds the intent's lock (<see cref="TryLockAsync"/>) is the one that works.
/// </summary>
public sealed class TransactionOutbox(MarketplaceDatabase database, OutboxSignal signal)
{
    private const string Columns = "key, kind, owner, payload::text, state, attempt, transaction, signature, last_valid_block_height, sends, sent_at, "
        + "landed_slot, signatures, last_error, created_at, next_try_at, completed_at, done_signature";

    private string Table => database.Table("mkt_outbox");

    /// <summary>Adds the intent unless one with its key exists (then nothing changes); true when it was added.</summary>
    public async Task<bool> EnqueueAsync(OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var added = await EnqueueAsync(connection, null, entry, now, cancellationToken);
        if (added)
            signal.Wake();
        return added;
    }

    /// <summary>As <see cref="EnqueueAsync(OutboxEntry, DateTimeOffset, CancellationToken)"/>, inside the caller's transaction (call <see cref="OutboxSignal.Wake"/> after commit).</summary>
    public async Task<bool> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO {Table} (key, kind, owner, payload, state, created_at, next_try_at)
            VALUES (@key, @kind, @owner, @payload::jsonb, 'Pending', @now, @now) ON CONFLICT (key) DO NOTHING
            """, connection, transaction);
        insert.Parameters.AddWithValue("key", entry.Key);
        insert.Parameters.AddWithValue("kind", entry.Kind);
        insert.Parameters.AddWithValue("owner", (object?)entry.Owner ?? DBNull.Value);
        insert.Parameters.AddWithValue("payload", entry.Payload);
        insert.Parameters.AddWithValue("now", now);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Queues the intent into a Marten session: its SaveChangesAsync stores it in the same PostgreSQL transaction as the
    /// session's events and documents (the decision that calls for it), or not at all. Call <see cref="Wake"/> after it.
    /// </summary>
    public async Task EnqueueAsync(IDocumentSession session, OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(entry);
        await database.EnsureReadyAsync(cancellationToken);
        session.QueueSqlCommand(
            $"INSERT INTO {Table} (key, kind, owner, payload, state, created_at, next_try_at) VALUES (?, ?, ?, ?::jsonb, 'Pending', ?, ?) ON CONFLICT (key) DO NOTHING",
            entry.Key, entry.Kind, (object?)entry.Owner ?? DBNull.Value, entry.Payload, now, now);
    }

    /// <summary>Wakes this replica's processor (after a commit that enqueued intents); other replicas find them on their next poll.</summary>
    public void Wake() => signal.Wake();

    public async Task<OutboxIntent?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM {Table} WHERE key = @k", p => p.AddWithValue("k", key), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<List<OutboxIntent>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM {Table} WHERE key = ANY(@k)", p => p.AddWithValue("k", keys.ToArray()), cancellationToken);

    /// <summary>Intents in <paramref name="state"/> (any when null) of <paramref name="kind"/> (any when null), oldest first.</summary>
    public Task<List<OutboxIntent>> ListAsync(OutboxState? state, string? kind, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM {Table} WHERE (@state::text IS NULL OR state = @state) AND (@kind::text IS NULL OR kind = @kind) ORDER BY created_at, key LIMIT @limit",
            p =>
            {
                p.AddWithValue("state", NpgsqlDbType.Text, (object?)state?.ToString() ?? DBNull.Value);
                p.AddWithValue("kind", NpgsqlDbType.Text, (object?)kind ?? DBNull.Value);
                p.AddWithValue("limit", limit);
            }, cancellationToken);

    /// <summary>Keys of unfinished intents whose next try is due, oldest first.</summary>
    public async Task<List<string>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            $"SELECT key FROM {Table} WHERE state <> 'Done' AND next_try_at <= @now ORDER BY next_try_at, created_at LIMIT @limit", connection);
        select.Parameters.AddWithValue("now", now);
        select.Parameters.AddWithValue("limit", limit);
        var keys = new List<string>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            keys.Add(reader.GetString(0));
        return keys;
    }

    /// <summary>
    /// The intent's lock, or null while another processor (this replica or another) holds it: a session advisory lock
    /// on its own connection, so PostgreSQL frees it the moment that connection ends (kill -9 included).
    /// </summary>
    public async Task<IAsyncDisposable?> TryLockAsync(string key, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext(@space), hashtext(@key))", connection);
            tryLock.Parameters.AddWithValue("space", LockSpace);
            tryLock.Parameters.AddWithValue("key", key);
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is true)
                return new IntentLock(connection, LockSpace, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    private string LockSpace => "ionet-outbox:" + Table;

    /// <summary>Stores a newly signed transaction for attempt <paramref name="attempt"/> + 1; false when the intent moved on meanwhile.</summary>
    public Task<bool> StoreSignedAsync(string key, int attempt, byte[] transaction, string signature, ulong lastValidBlockHeight, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync($"""
            UPDATE {Table} SET state = 'Signed', attempt = attempt + 1, transaction = @tx, signature = @sig, last_valid_block_height = @lvbh,
                sends = 0, sent_at = NULL, landed_slot = NULL, signatures = signatures || @sig, last_error = NULL, next_try_at = @now
            WHERE key = @key AND state = 'Pending' AND attempt = @attempt
            """, p =>
            {
                p.AddWithValue("key", key);
                p.AddWithValue("attempt", attempt);
                p.AddWithValue("tx", transaction);
                p.AddWithValue("sig", signature);
                p.AddWithValue("lvbh", checked((long)lastValidBlockHeight));
                p.AddWithValue("now", now);
            }, cancellationToken);

    /// <summary>Records a send of the current transaction (and the node's refusal, if any).</summary>
    public Task<bool> RecordSendAsync(string key, string signature, string? error, DateTimeOffset now, DateTimeOffset nextTry, CancellationToken cancellationToken) =>
        UpdateAsync($"""
            UPDATE {Table} SET sends = sends + 1, sent_at = @now, last_error = @error, next_try_at = @next
            WHERE key = @key AND state = 'Signed' AND signature = @sig
            """, p =>
            {
                p.AddWithValue("key", key);
                p.AddWithValue("sig", signature);
                p.AddWithValue("error", (object?)error ?? DBNull.Value);
                p.AddWithValue("now", now);
                p.AddWithValue("next", nextTry);
            }, cancellationToken);

    /// <summary>The node reports the current transaction landed (in <paramref name="slot"/>); the Ledger is awaited next.</summary>
    public Task<bool> RecordLandedAsync(string key, string signature, ulong? slot, DateTimeOffset nextTry, CancellationToken cancellationToken) =>
        UpdateAsync($"""
            UPDATE {Table} SET landed_slot = @slot, last_error = NULL, next_try_at = @next
            WHERE key = @key AND state = 'Signed' AND signature = @sig
            """, p =>
            {
                p.AddWithValue("key", key);
                p.AddWithValue("sig", signature);
                p.AddWithValue("slot", slot is { } s ? checked((long)s) : DBNull.Value);
                p.AddWithValue("next", nextTry);
            }, cancellationToken);

    /// <summary>The current transaction provably never landed, or landed and failed: a new one may be built (after <paramref name="nextTry"/>).</summary>
    public Task<bool> ReleaseAsync(string key, string signature, string reason, DateTimeOffset nextTry, CancellationToken cancellationToken) =>
        UpdateAsync($"""
            UPDATE {Table} SET state = 'Pending', transaction = NULL, last_error = @reason, next_try_at = @next
            WHERE key = @key AND state = 'Signed' AND signature = @sig
            """, p =>
            {
                p.AddWithValue("key", key);
                p.AddWithValue("sig", signature);
                p.AddWithValue("reason", reason);
                p.AddWithValue("next", nextTry);
            }, cancellationToken);

    /// <summary>The Ledger holds <paramref name="signature"/>, which did the intent's work.</summary>
    public Task<bool> CompleteAsync(string key, string signature, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync($"""
            UPDATE {Table} SET state = 'Done', transaction = NULL, completed_at = @now, done_signature = @sig, last_error = NULL
            WHERE key = @key AND state <> 'Done'
            """, p =>
            {
                p.AddWithValue("key", key);
                p.AddWithValue("sig", signature);
                p.AddWithValue("now", now);
            }, cancellationToken);

    /// <summary>Nothing to do before <paramref name="nextTry"/>; <paramref name="error"/> says why, if something went wrong.</summary>
    public Task<bool> PostponeAsync(string key, string? error, DateTimeOffset nextTry, CancellationToken cancellationToken) =>
        UpdateAsync($"UPDATE {Table} SET last_error = coalesce(@error, last_error), next_try_at = @next WHERE key = @key AND state <> 'Done'", p =>
        {
            p.AddWithValue("key", key);
            p.AddWithValue("error", NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
            p.AddWithValue("next", nextTry);
        }, cancellationToken);

    /// <summary>True when the Ledger stored the transaction <paramref name="signature"/> (the indexer keeps a stream per transaction).</summary>
    public async Task<bool> LedgerHasAsync(string signature, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {database.Table("mt_streams")} WHERE id = @sig)", connection);
        select.Parameters.AddWithValue("sig", signature);
        try
        {
            return await select.ExecuteScalarAsync(cancellationToken) is true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false; // no indexer has written this Ledger yet
        }
    }

    private async Task<bool> UpdateAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = new NpgsqlCommand(sql, connection);
        parameters(update.Parameters);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<List<OutboxIntent>> QueryAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand(sql, connection);
        parameters(select.Parameters);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var intents = new List<OutboxIntent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            intents.Add(new OutboxIntent(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                Enum.Parse<OutboxState>(reader.GetString(4)), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : (byte[])reader[6], reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : (ulong)reader.GetInt64(8), reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : (ulong)reader.GetInt64(11),
                reader.GetFieldValue<string[]>(12), reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.GetFieldValue<DateTimeOffset>(14), reader.GetFieldValue<DateTimeOffset>(15),
                reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16), reader.IsDBNull(17) ? null : reader.GetString(17)));
        }
        return intents;
    }

    /// <summary>Holds an intent's advisory lock until disposed (or until its connection dies with the process).</summary>
    private sealed class IntentLock(NpgsqlConnection connection, string space, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext(@space), hashtext(@key))", connection);
                unlock.Parameters.AddWithValue("space", space);
                unlock.Parameters.AddWithValue("key", key);
                await unlock.ExecuteScalarAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and its session's locks with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}

/// <summary>Wakes the outbox's processor when this replica enqueued an intent (other replicas find it on their next poll).</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
