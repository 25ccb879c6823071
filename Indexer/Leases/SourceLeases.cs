using Npgsql;

namespace IoNet.Indexer.Leases;

/// <summary>
/// One lease per tracked source, held in PostgreSQL, so that each source is crawled by exactly one indexer process.
/// A holder renews well inside the time-to-live; when it dies, another process takes the source over once the lease
/// has expired. <see cref="AssertHeldSql"/> lets a writer fence its own transaction: the append fails if the lease
/// was lost in the meantime.
/// </summary>
public sealed class SourceLeases(string connectionString, string schema, TimeSpan timeToLive)
{
    public TimeSpan TimeToLive { get; } = timeToLive;

    /// <summary>
    /// The SQLSTATE the fence raises: its own code (class "IO" is not PostgreSQL's), so that a lost lease is told
    /// apart from every other failure, which P0001 (any RAISE EXCEPTION) would not.
    /// </summary>
    public const string LostLeaseSqlState = "IOL01";

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps: Marten reports the fence's failure as a
    /// MartenCommandException, the bulk path as the PostgresException itself) is the fence refusing a write.
    /// </summary>
    public static bool IsLostLease(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is LeaseLostException or PostgresException { SqlState: LostLeaseSqlState })
                return true;
        }
        return false;
    }

    private string Table => $"\"{schema}\".ionet_source_leases";

    /// <summary>
    /// SQL (two positional parameters: source, holder) that raises unless the holder still owns the lease. It is an
    /// INSERT that never inserts, so that it returns no result set inside Marten's batched commands.
    /// </summary>
    public string AssertHeldSql =>
        $"INSERT INTO {Table} (source, holder, expires_at, acquired_at) SELECT NULL, NULL, NULL, NULL WHERE \"{schema}\".ionet_assert_lease(?, ?) IS NULL";

    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE IF NOT EXISTS {Table} (
                source      text PRIMARY KEY,
                holder      text NOT NULL,
                expires_at  timestamptz NOT NULL,
                acquired_at timestamptz NOT NULL
            );
            CREATE OR REPLACE FUNCTION "{schema}".ionet_assert_lease(p_source text, p_holder text) RETURNS boolean AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM {Table}
                               WHERE source = p_source AND holder = p_holder AND expires_at > clock_timestamp()) THEN
                    RAISE EXCEPTION 'lease on % is not held by %', p_source, p_holder USING ERRCODE = '{LostLeaseSqlState}';
                END IF;
                RETURN true;
            END $$ LANGUAGE plpgsql VOLATILE;
            """, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Takes or renews the lease; true when <paramref name="holder"/> holds it afterwards.</summary>
    public async Task<bool> TryAcquireAsync(string source, string holder, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {Table} AS l (source, holder, expires_at, acquired_at)
            VALUES (@source, @holder, clock_timestamp() + @ttl, clock_timestamp())
            ON CONFLICT (source) DO UPDATE
                SET holder = EXCLUDED.holder,
                    expires_at = EXCLUDED.expires_at,
                    acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE EXCLUDED.acquired_at END
                WHERE l.holder = EXCLUDED.holder OR l.expires_at <= clock_timestamp()
            RETURNING holder
            """, connection);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("holder", holder);
        command.Parameters.AddWithValue("ttl", TimeToLive);
        return await command.ExecuteScalarAsync(ct) is string;
    }

    /// <summary>Gives the lease up at once (a clean shutdown), so another process need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string source, string holder, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"DELETE FROM {Table} WHERE source = @source AND holder = @holder", connection);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("holder", holder);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Who holds each source now (expired leases are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> HoldersAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT source, holder FROM {Table} WHERE expires_at > clock_timestamp()", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            holders[reader.GetString(0)] = reader.GetString(1);
        return holders;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
