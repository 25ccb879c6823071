using Npgsql;

namespace IoNet.Indexer.Cli;

/// <summary>The Ledger's PostgreSQL server as the operator sees it: where it is, and one line when it cannot be reached.</summary>
public static class LedgerDatabase
{
    /// <summary>host:port/database, without credentials.</summary>
    public static string Describe(string connectionString)
    {
        var builder = Parse(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>Opens one connection first, so an unreachable server is one clear line instead of a host start failure.</summary>
    public static async Task EnsureReachableAsync(string connectionString, CancellationToken ct)
    {
        var builder = Parse(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw Unreachable(builder, e);
        }
    }

    /// <summary>The one line for a database failure: the server, the reason, and the fix.</summary>
    public static IndexerException Unreachable(string connectionString, NpgsqlException e) => Unreachable(Parse(connectionString), e);

    private static IndexerException Unreachable(NpgsqlConnectionStringBuilder builder, NpgsqlException e)
    {
        var reason = e is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : e.GetBaseException().Message;
        return new IndexerException(
            $"PostgreSQL at {builder.Host}:{builder.Port} (database {builder.Database}) failed: {reason}. "
            + "Start the local one with ./ionet db start, or point --db or IONET_DB at a running server.", e);
    }

    private static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new IndexerException($"the database connection string is not valid: {e.Message}", e);
        }
    }
}
