using IoNet.Indexer.Configuration;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Running;
using IoNet.Indexer.Store;
using IoNet.Ledger.Store;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IoNet.Indexer.Tests.Running;

/// <summary>The follower itself (<see cref="IndexerWorker"/>) against the real localnet and PostgreSQL.</summary>
public sealed class IndexerWorkerTests(LocalnetChain chain, PostgresSchema schema) : IClassFixture<LocalnetChain>, IClassFixture<PostgresSchema>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_database_failure_that_is_not_the_lease_fence_keeps_the_source_held_and_is_retried()
    {
        var name = schema.Another("worker");
        var settings = new IndexerSettings
        {
            RpcUrl = chain.Process.RpcUrl.ToString(), AddressFile = chain.Process.AddressesFile, Schema = name, Holder = "worker-test",
            PollInterval = TimeSpan.FromMilliseconds(200), LeaseTimeToLive = TimeSpan.FromSeconds(30),
        };
        var tracked = IndexerSources.Load(settings);
        var treasury = tracked.Sources.Single(s => s.Kind == "vault:treasury");
        await using var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, schema.ConnectionString, name);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
            o.Schema.For<SourceCheckpoint>();
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(SourceCheckpoint), Ct);
        // Every append of the treasury source fails on a constraint of its checkpoint; its lease is never lost.
        await ExecuteAsync($"alter table \"{name}\".mt_doc_sourcecheckpoint add constraint no_treasury check (id <> '{treasury.Name}') not valid");
        var leases = new SourceLeases(schema.ConnectionString, name, settings.LeaseTimeToLive);
        using var rpc = new SolanaRpcClient(settings.RpcUrl);
        using var metrics = new IndexerMetrics();
        var logger = new RecordingLogger();
        var worker = new IndexerWorker(settings, store, leases, rpc, tracked, metrics, logger);

        await worker.StartAsync(Ct);
        try
        {
            var failed = await logger.WaitForAsync(m => m.Contains(treasury.Name, StringComparison.Ordinal) && m.Contains("failed on the database", StringComparison.Ordinal));
            failed.ShouldContain("no_treasury");
            worker.HeldSources.ShouldContain(treasury.Name);
            (await leases.HoldersAsync(Ct))[treasury.Name].ShouldBe("worker-test");
            logger.Messages.ShouldNotContain(m => m.Contains("refused", StringComparison.Ordinal));

            // Once the database accepts it, the next pass stores the source's checkpoint.
            await ExecuteAsync($"alter table \"{name}\".mt_doc_sourcecheckpoint drop constraint no_treasury");
            for (var i = 0; !await HasCheckpointAsync(store, treasury.Name); i++)
            {
                if (i > 1200)
                    throw new TimeoutException($"the treasury's checkpoint was never stored:\n{string.Join("\n", logger.Messages)}");
                await Task.Delay(100, Ct);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<bool> HasCheckpointAsync(IDocumentStore store, string source)
    {
        await using var q = store.QuerySession();
        return await q.LoadAsync<SourceCheckpoint>(source, Ct) is not null;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Keeps every message; a test waits for the one it expects (each log line re-checks the condition).</summary>
    private sealed class RecordingLogger : ILogger<IndexerWorker>
    {
        private readonly List<string> _messages = [];
        private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                    return [.. _messages];
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            lock (_messages)
            {
                _messages.Add(message);
                foreach (var waiter in _waiters.ToList())
                {
                    if (waiter.Match(message))
                    {
                        waiter.Found.TrySetResult(message);
                        _waiters.Remove(waiter);
                    }
                }
            }
        }

        /// <summary>The first message (logged so far or later) that matches.</summary>
        public async Task<string> WaitForAsync(Func<string, bool> match)
        {
            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_messages)
            {
                if (_messages.FirstOrDefault(match) is { } already)
                    return already;
                _waiters.Add((match, found));
            }
            return await found.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        }
    }
}
