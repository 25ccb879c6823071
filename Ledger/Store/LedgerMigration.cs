using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IoNet.Ledger.Store;

/// <summary>
/// Brings the store's schema up to date before any other hosted service starts (the daemon, the workers), in every
/// process that shares the Ledger's PostgreSQL schema: the indexer and the marketplace both write the event tables.
/// Marten applies the changes under an advisory lock, but a process that had created a table lazily (on first use)
/// while another migrated could still make the other's DDL fail with "already exists" (42P07, seen when an indexer and
/// a marketplace started together); such a failure means another process did the work, so the migration looks again.
/// </summary>
public sealed class LedgerMigration(IDocumentStore store, bool startWithoutDatabase, ILogger<LedgerMigration> log) : IHostedService
{
    private const int Attempts = 5;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < Attempts && IsConcurrentDdl(e))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (Exception e) when (startWithoutDatabase && IsUnreachable(e))
            {
                // A service that answers /health with 503 while its database is away: Marten creates what is missing on first use.
                log.LogWarning(e, "The Ledger's PostgreSQL is unreachable at start; the schema is brought up to date on first use");
                return;
            }
        }
    }

    private static bool IsUnreachable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException and not PostgresException || e is System.Net.Sockets.SocketException)
                return true;
        }
        return false;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The DDL collided with another process's: a relation, object or type that exists already.</summary>
    public static bool IsConcurrentDdl(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateFunction })
                return true;
        }
        return false;
    }

    /// <summary>
    /// Registers the migration as the first hosted service, ahead of Marten's daemon. With
    /// <paramref name="startWithoutDatabase"/> an unreachable server does not stop the start (a web service that reports
    /// it on /health); without it the start fails.
    /// </summary>
    public static void AddTo(IServiceCollection services, bool startWithoutDatabase = false) =>
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new LedgerMigration(
            sp.GetRequiredService<IDocumentStore>(), startWithoutDatabase, sp.GetRequiredService<ILogger<LedgerMigration>>())));
}
