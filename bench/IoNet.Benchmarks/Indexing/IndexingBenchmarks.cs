using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using IoNet.Indexer.Decoding;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Store;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Store;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana.Rpc;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace IoNet.Benchmarks.Indexing;

/// <summary>
/// The indexer's write path, per transaction, in one run: recorded getTransaction responses (base64, as the crawler asks
/// for them) → typed model → decoded instructions → Ledger events (bare decode); the same plus an append through
/// <see cref="BulkChainEventWriter"/> (binary COPY) or
/// through <see cref="ChainEventWriter"/> (Marten's quick append); each append alone, on transactions decoded
/// beforehand. The baseline is a raw Npgsql binary COPY of the same stream and event rows, serialized beforehand, into
/// Marten's own tables; the same COPY into plain tables with no keys or indexes is the physical limit. Every store
/// operation appends in database transactions of <see cref="BatchSize"/> transactions, with the lease fence and the
/// checkpoint where the writer has them. Needs PostgreSQL: IONET_DB. Each iteration starts from empty tables.
/// </summary>
[Config(typeof(Config))]
public class IndexingBenchmarks
{
    public const int N = 2000;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(30).WithIterationCount(20)
                .WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(BenchmarkDotNet.Columns.StatisticColumn.OperationsPerSecond);
        }
    }

    /// <summary>The crawler's defaults: AppendBatchSize (following) and BackfillBatchSize (backfill, the COPY path).</summary>
    [Params(200, 1000)]
    public int BatchSize { get; set; }

    private byte[][] _responses = [];
    private string[] _signatures = [];
    private IoNetAddresses _network = null!;
    private string _connectionString = "";
    private DocumentStore _bulkStore = null!;
    private DocumentStore _normalStore = null!;
    private DocumentStore _martenRawStore = null!;
    private BulkChainEventWriter _bulk = null!;
    private ChainEventWriter _normal = null!;
    private RawRow[][] _rawBatches = [];
    private List<TransactionEvents> _decoded = [];

    private const string BulkSchema = "bench_bulk";
    private const string NormalSchema = "bench_normal";
    private const string RawSchema = "bench_raw";
    private const string MartenRawSchema = "bench_raw_marten";
    private const string Source = "mint:io";
    private const string Holder = "bench";

    private sealed record RawRow(string Signature, long Version, Guid Id, string Data, string Type, string DotNetType);

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _connectionString = Environment.GetEnvironmentVariable(LedgerStore.ConnectionVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{LedgerStore.ConnectionVariable} is not set: `./ionet db start` and `export IONET_DB=\"$(./ionet db url)\"`.");
        // base64, as the crawler asks for it (DecodeBenchmarks compares the two encodings).
        _responses = [.. IndexingSamples.Distinct(IndexingSamples.Responses(), N).Select(IndexingSamples.ToBase64Response)];
        _network = IndexingSamples.Network();
        _signatures = [.. _responses.Select(r => TransactionDecoder.Decode(RpcJson.ParseTransaction(r)!).Signature.ToString())];

        await ExecuteAsync($"""
            DROP SCHEMA IF EXISTS {BulkSchema} CASCADE; DROP SCHEMA IF EXISTS {NormalSchema} CASCADE; DROP SCHEMA IF EXISTS {RawSchema} CASCADE;
            DROP SCHEMA IF EXISTS {MartenRawSchema} CASCADE;
            CREATE SCHEMA {RawSchema};
            CREATE TABLE {RawSchema}.streams (id varchar NOT NULL, type varchar, version bigint, timestamp timestamptz NOT NULL,
                created timestamptz NOT NULL, tenant_id varchar, is_archived boolean);
            CREATE TABLE {RawSchema}.events (seq_id bigint NOT NULL, id uuid NOT NULL, stream_id varchar, version bigint NOT NULL,
                data jsonb NOT NULL, type varchar(500) NOT NULL, timestamp timestamptz NOT NULL, tenant_id varchar,
                mt_dotnet_type varchar, is_archived boolean);
            """);
        (_bulkStore, var bulkLeases) = await StoreAsync(BulkSchema);
        (_normalStore, var normalLeases) = await StoreAsync(NormalSchema);
        // The baseline's tables: Marten's own mt_streams and mt_events, created by Marten with the same options.
        (_martenRawStore, _) = await StoreAsync(MartenRawSchema);
        _bulk = new BulkChainEventWriter(_bulkStore, bulkLeases);
        _normal = new ChainEventWriter(_normalStore, normalLeases);
        await _bulk.EnsureSchemaAsync(CancellationToken.None);
        await _normal.EnsureSchemaAsync(CancellationToken.None);
        await _normalStore.Storage.Database.EnsureStorageExistsAsync(typeof(SourceCheckpoint), CancellationToken.None);

        // The baseline's rows: what the bulk writer COPYs, serialized beforehand.
        var serializer = _bulkStore.Options.Serializer();
        await using var session = _bulkStore.LightweightSession();
        _decoded = Decode();
        var rows = _decoded.Select(t => t.Events.Select((e, k) =>
        {
            var wrapped = session.Events.BuildEvent(e);
            return new RawRow(t.Signature, k + 1, EventIds.For(e), serializer.ToJson(e), wrapped.EventTypeName, wrapped.DotNetTypeName);
        }).ToArray()).Where(r => r.Length > 0).ToList();
        _rawBatches = rows.Chunk(BatchSize).Select(c => c.SelectMany(r => r).ToArray()).ToArray();
        Console.WriteLine($"// {N} transactions: {rows.Count} with events, {rows.Sum(r => r.Length)} events");
    }

    private async Task<(DocumentStore, SourceLeases)> StoreAsync(string schema)
    {
        var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, _connectionString, schema);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var leases = new SourceLeases(_connectionString, schema, TimeSpan.FromHours(1));
        await leases.EnsureSchemaAsync(CancellationToken.None);
        if (!await leases.TryAcquireAsync(Source, Holder, CancellationToken.None))
            throw new InvalidOperationException("lease not acquired");
        return (store, leases);
    }

    [IterationSetup]
    public void Empty() => ExecuteAsync($"""
        TRUNCATE {BulkSchema}.mt_events, {BulkSchema}.mt_streams, {BulkSchema}.mt_doc_sourcecheckpoint;
        TRUNCATE {NormalSchema}.mt_events, {NormalSchema}.mt_streams, {NormalSchema}.mt_doc_sourcecheckpoint;
        TRUNCATE {RawSchema}.events, {RawSchema}.streams;
        TRUNCATE {MartenRawSchema}.mt_events, {MartenRawSchema}.mt_streams;
        """).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _bulkStore.Dispose();
        _normalStore.Dispose();
        _martenRawStore.Dispose();
        ExecuteAsync($"DROP SCHEMA IF EXISTS {BulkSchema} CASCADE; DROP SCHEMA IF EXISTS {NormalSchema} CASCADE; DROP SCHEMA IF EXISTS {RawSchema} CASCADE; DROP SCHEMA IF EXISTS {MartenRawSchema} CASCADE;")
            .GetAwaiter().GetResult();
    }

    private List<TransactionEvents> Decode()
    {
        var batch = new List<TransactionEvents>(_responses.Length);
        for (var i = 0; i < _responses.Length; i++)
        {
            var response = RpcJson.ParseTransaction(_responses[i])!;
            var mapped = ChainEventMapper.Map(TransactionDecoder.Decode(response), _network);
            // The crawler knows each signature from getSignaturesForAddress.
            batch.Add(new TransactionEvents(_signatures[i], mapped.Events));
        }
        return batch;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int BareDecode() => Decode().Sum(t => t.Events.Count);

    [Benchmark(OperationsPerInvoke = N)]
    public async Task<int> DecodeAndBulkAppend()
    {
        var appended = 0;
        foreach (var chunk in Decode().Chunk(BatchSize))
            appended += await _bulk.AppendAsync(Source, Holder, chunk, new SourceCheckpoint { NewestSignature = chunk[^1].Signature }, CancellationToken.None);
        return appended;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public async Task<int> DecodeAndNormalAppend()
    {
        var appended = 0;
        foreach (var chunk in Decode().Chunk(BatchSize))
            appended += await _normal.AppendAsync(Source, Holder, chunk, new SourceCheckpoint { NewestSignature = chunk[^1].Signature }, CancellationToken.None);
        return appended;
    }

    /// <summary>The append alone (transactions decoded beforehand), through the bulk writer.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public Task<int> BulkAppendOnly() => AppendAsync(_bulk.AppendAsync);

    /// <summary>The append alone (transactions decoded beforehand), through the normal writer.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public Task<int> NormalAppendOnly() => AppendAsync(_normal.AppendAsync);

    private async Task<int> AppendAsync(Func<string, string, IReadOnlyList<TransactionEvents>, SourceCheckpoint, CancellationToken, Task<int>> append)
    {
        var appended = 0;
        foreach (var chunk in _decoded.Chunk(BatchSize))
            appended += await append(Source, Holder, chunk, new SourceCheckpoint { NewestSignature = chunk[^1].Signature }, CancellationToken.None);
        return appended;
    }

    /// <summary>
    /// The baseline: a raw Npgsql binary COPY of the same stream and event rows, serialized beforehand, into Marten's
    /// own mt_streams and mt_events (created by Marten: the same keys, unique indexes and foreign key), one database
    /// transaction per batch; no decode, no fence, no existence check, no sequence, no checkpoint.
    /// </summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public Task<int> RawCopyBaseline() => RawCopyAsync($"{MartenRawSchema}.mt_streams", $"{MartenRawSchema}.mt_events");

    /// <summary>
    /// The physical limit: the same COPY into plain tables of the same columns with no keys, indexes or constraints
    /// (which no writer of an event store can use).
    /// </summary>
    [Benchmark(OperationsPerInvoke = N)]
    public Task<int> RawCopyIntoPlainTables() => RawCopyAsync($"{RawSchema}.streams", $"{RawSchema}.events");

    private async Task<int> RawCopyAsync(string streamsTable, string eventsTable)
    {
        var seq = 0L;
        foreach (var rows in _rawBatches)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            var now = DateTimeOffset.UtcNow;
            await using (var streams = await connection.BeginBinaryImportAsync(
                $"COPY {streamsTable} (id, type, version, timestamp, created, tenant_id, is_archived) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var row in rows)
                {
                    if (row.Version != 1)
                        continue;
                    await streams.StartRowAsync();
                    await streams.WriteAsync(row.Signature, NpgsqlDbType.Varchar);
                    await streams.WriteNullAsync();
                    await streams.WriteAsync(row.Version, NpgsqlDbType.Bigint);
                    await streams.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await streams.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await streams.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar);
                    await streams.WriteAsync(false, NpgsqlDbType.Boolean);
                }
                await streams.CompleteAsync();
            }
            await using (var events = await connection.BeginBinaryImportAsync(
                $"COPY {eventsTable} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var row in rows)
                {
                    await events.StartRowAsync();
                    await events.WriteAsync(++seq, NpgsqlDbType.Bigint);
                    await events.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                    await events.WriteAsync(row.Signature, NpgsqlDbType.Varchar);
                    await events.WriteAsync(row.Version, NpgsqlDbType.Bigint);
                    await events.WriteAsync(row.Data, NpgsqlDbType.Jsonb);
                    await events.WriteAsync(row.Type, NpgsqlDbType.Varchar);
                    await events.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await events.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar);
                    await events.WriteAsync(row.DotNetType, NpgsqlDbType.Varchar);
                    await events.WriteAsync(false, NpgsqlDbType.Boolean);
                }
                await events.CompleteAsync();
            }
            await tx.CommitAsync();
        }
        return (int)seq;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
