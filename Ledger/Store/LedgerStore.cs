using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace IoNet.Ledger.Store;

/// <summary>The store conventions of ARCHITECTURE.md, in one place for every service and test.</summary>
public static class LedgerStore
{
    public const string DefaultSchema = "ionet";

    /// <summary>Environment variable that names the PostgreSQL server (an Npgsql connection string).</summary>
    public const string ConnectionVariable = "IONET_DB";

    public static void ApplyConventions(StoreOptions options, string connectionString, string schema = DefaultSchema)
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.All;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.Quick;
        // Event ids are deterministic (signature + instruction path): a replay then stores nothing twice.
        options.Events.EnableUniqueIndexOnEventId = true;
    }

    /// <summary>IONET_DB first, then ConnectionStrings:Ledger from configuration.</summary>
    public static string ResolveConnectionString(IConfiguration configuration) =>
        configuration[ConnectionVariable] is { Length: > 0 } fromEnvironment ? fromEnvironment
        : configuration.GetConnectionString("Ledger") is { Length: > 0 } fromSettings ? fromSettings
        : throw new InvalidOperationException(
            $"No database configured: set {ConnectionVariable} or ConnectionStrings:Ledger (./ionet up does this for you).");

    /// <summary>True when the server answers a trivial query within the token's time.</summary>
    public static async Task<bool> PingAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
