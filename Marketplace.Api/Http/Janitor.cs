using IoNet.Marketplace.SignIn;
using Npgsql;

namespace IoNet.Marketplace.Http;

/// <summary>Every few minutes, drops expired sign-in nonces and idempotency keys past their retention.</summary>
public sealed class Janitor(SignInNonces nonces, MarketplaceDatabase database, IdempotencySettings idempotency, TimeProvider clock, ILogger<Janitor> log) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var now = clock.GetUtcNow();
                // An hour's grace keeps 'already used' / 'expired' answers for late retries.
                await nonces.PruneAsync(now - TimeSpan.FromHours(1), stoppingToken);
                await using var connection = await database.OpenAsync(stoppingToken);
                await using var delete = new NpgsqlCommand($"DELETE FROM {database.Table("mkt_idempotency_keys")} WHERE created_at < @b", connection);
                delete.Parameters.AddWithValue("b", now - idempotency.Retention);
                await delete.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogWarning("Cleanup of nonces and idempotency keys failed: {Error}", e.Message);
            }
        }
    }
}
