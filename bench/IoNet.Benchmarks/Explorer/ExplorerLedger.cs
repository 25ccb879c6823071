using System.Diagnostics;
using IoNet.Indexer.Store;
using IoNet.Ledger.Store;
using JasperFx.Events.Daemon;
using Marten.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace IoNet.Benchmarks.Explorer;

/// <summary>What the stored Ledger holds: its mints (the explorer's settings) and how long it took to make.</summary>
public sealed record ExplorerLedgerInfo(
    string Schema, EconomyShape Shape, string IoMint, string IosdMint, string UsdcMint,
    double AppendSeconds, double ProjectSeconds, DateTimeOffset GeneratedAt, bool Reused);

/// <summary>
/// The explorer benchmark's Ledger: a <see cref="SyntheticEconomy"/> written through the indexer's backfill path
/// (<see cref="BulkChainEventWriter"/>, binary COPY) into its own schema, then every async projection (NetworkTotals,
/// TokenSupply, DeviceEarnings, RewardBlockPayouts, RentalEscrow, WalletSummary) caught up by Marten's async daemon.
/// Kept between runs: a schema whose marker row names the same shape and generator version is reused as it is; any
/// other is dropped and generated again. The marker is written last, so an interrupted generation is never reused.
/// </summary>
public static class ExplorerLedger
{
    public const string DefaultSchema = "bench_explorer";
    private const string Marker = "bench_explorer_info";
    private const string Source = "bench:explorer";
    private const int AppendBatch = 2_000;

    public static async Task<ExplorerLedgerInfo> EnsureAsync(string connectionString, string schema, EconomyShape shape, TextWriter log)
    {
        if (await ReadMarkerAsync(connectionString, schema, shape) is { } stored)
            return stored;

        log.WriteLine($"generating the explorer's Ledger in schema {schema}: {shape.Events:N0} events, {shape.Devices:N0} devices, {shape.Wallets:N0} wallets (kept for later runs)");
        await ExecuteAsync(connectionString, $"drop schema if exists \"{schema}\" cascade");
        using var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, connectionString, schema);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
        });
        var writer = new BulkChainEventWriter(store);
        await writer.EnsureSchemaAsync(CancellationToken.None);

        var economy = new SyntheticEconomy(shape);
        var clock = Stopwatch.StartNew();
        long transactions = 0, events = 0;
        ulong newestSlot = 0;
        foreach (var chunk in economy.Transactions().Chunk(AppendBatch))
        {
            var last = chunk[^1];
            newestSlot = last.Events[0].Slot;
            transactions += chunk.Length;
            events += chunk.Sum(t => t.Events.Count);
            var checkpoint = new SourceCheckpoint { NewestSignature = last.Signature, NewestSlot = newestSlot, BackfillDone = true, TransactionsSeen = transactions };
            await writer.AppendAsync(Source, "bench", chunk, checkpoint, CancellationToken.None);
            if (transactions % (AppendBatch * 50) == 0)
                log.WriteLine($"  {events:N0} events appended ({clock.Elapsed.TotalSeconds:0} s)");
        }
        var appendSeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"  {transactions:N0} transactions, {events:N0} events appended by binary COPY in {appendSeconds:0.0} s ({events / appendSeconds:N0} events/s)");

        clock.Restart();
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.StartAllAsync();
            await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(60));
            await daemon.StopAllAsync();
        }
        var projectSeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"  async projections caught up in {projectSeconds:0.0} s ({events / projectSeconds:N0} events/s)");
        await ExecuteAsync(connectionString, $"vacuum analyze \"{schema}\".mt_events");

        var info = new ExplorerLedgerInfo(schema, shape, economy.IoMint, economy.IosdMint, economy.UsdcMint, appendSeconds, projectSeconds, DateTimeOffset.UtcNow, false);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connectionString, $"""
            create table "{schema}".{Marker} (events int, devices int, wallets int, seed int, generator int,
              io_mint text, iosd_mint text, usdc_mint text, append_seconds float8, project_seconds float8, generated_at timestamptz)
            """);
        await using var command = new NpgsqlCommand($"insert into \"{schema}\".{Marker} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", connection);
        foreach (var value in new object[] { shape.Events, shape.Devices, shape.Wallets, shape.Seed, EconomyShape.GeneratorVersion,
            info.IoMint, info.IosdMint, info.UsdcMint, appendSeconds, projectSeconds, info.GeneratedAt })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
        return info;
    }

    private static async Task<ExplorerLedgerInfo?> ReadMarkerAsync(string connectionString, string schema, EconomyShape shape)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            select io_mint, iosd_mint, usdc_mint, append_seconds, project_seconds, generated_at from "{schema}".{Marker}
            where events = $1 and devices = $2 and wallets = $3 and seed = $4 and generator = $5
            """, connection);
        foreach (var value in new object[] { shape.Events, shape.Devices, shape.Wallets, shape.Seed, EconomyShape.GeneratorVersion })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync()
                ? new ExplorerLedgerInfo(schema, shape, reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.GetDouble(3), reader.GetDouble(4), reader.GetFieldValue<DateTimeOffset>(5), true)
                : null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return null;
        }
    }

    /// <summary>Device ids in id order (the device page target walks them).</summary>
    public static async Task<string[]> DevicesAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id from \"{schema}\".mt_doc_deviceearnings order by id", connection);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0));
        return [.. ids];
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
