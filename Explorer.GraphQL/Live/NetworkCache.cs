using IoNet.Explorer.Reads;
using IoNet.Explorer.Schema;
using Microsoft.Extensions.Caching.Hybrid;

namespace IoNet.Explorer.Live;

/// <summary>
/// The home query's data through HybridCache, keyed by the <see cref="LedgerFeed.Version"/>: an entry is never served
/// after the Ledger moved (the next poll changes the key), and concurrent misses read the database once.
/// With Explorer:Cache false every request reads the database.
/// </summary>
public sealed class NetworkCache(HybridCache cache, LedgerFeed feed, NetworkReads network, MarketReads market, ChainProgressReads progress, TimeProvider clock, ExplorerSettings settings)
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(5) };

    public async ValueTask<NetworkView> GetAsync(CancellationToken ct) =>
        settings.Cache
            ? await cache.GetOrCreateAsync($"network:{feed.Version}", this, static (self, token) => self.ReadAsync(token), Entry, cancellationToken: ct).ConfigureAwait(false)
            : await ReadAsync(ct).ConfigureAwait(false);

    private async ValueTask<NetworkView> ReadAsync(CancellationToken ct) =>
        new(await network.SnapshotAsync(ct).ConfigureAwait(false), await progress.ReadAsync(ct).ConfigureAwait(false),
            await market.SnapshotAsync(clock.GetUtcNow(), ct).ConfigureAwait(false));
}
