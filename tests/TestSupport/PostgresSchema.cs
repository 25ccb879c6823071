using Npgsql;
using Xunit;

namespace IoNet.TestSupport;

/// <summary>
/// A class fixture that gives each test class its own PostgreSQL schema on the cluster that
/// `./ionet test` started (connection string in IONET_TEST_DB), and drops it afterwards.
/// </summary>
public sealed class PostgresSchema : IAsyncLifetime
{
    public const string ConnectionVariable = "IONET_TEST_DB";

    public string ConnectionString { get; } = ServerConnectionString();

    /// <summary>A fresh schema name, unique per fixture instance (one per test class).</summary>
    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N")[..16];

    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{ConnectionVariable} is not set: run the tests through `./ionet test`, or set it to a PostgreSQL connection string.");

    private readonly List<string> _extra = [];

    /// <summary>Another schema name for this test class (e.g. a second store), dropped with the fixture.</summary>
    public string Another(string suffix)
    {
        var name = $"{Name}_{suffix}";
        lock (_extra) _extra.Add(name);
        return name;
    }

    public async ValueTask InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA \"{Name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var name in _extra.Append(Name))
        {
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{name}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
