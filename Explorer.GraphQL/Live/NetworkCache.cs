using IoNet.Explorer.Reads;
using IoNet.Explorer.Schema;
using Microsoft.Extensions.Caching.Hybrid;

namespace IoNet.Explorer.Live;

/// <summary>
/// What the home page shows besides the network: the newest payouts and burns (first pages, newest first, no filter)
/// and the IO and IOSD supply over time.
/// </summary>
/// <remarks>Never changed after it is read: HybridCache hands out the same instance instead of a deserialized copy.</remarks>
[System.ComponentModel.ImmutableObject(true)]
public sealed record HomeLists(Page<Payout> Payouts, Page<Burn> Burns, SupplySeries? IoSupply, SupplySeries? IosdSupply);

/// <summary>
/// The home query's data through HybridCache, keyed by the <see cref="LedgerFeed.Version"/>: an entry is never served
/// after the Ledger moved (the next poll changes the key), and concurrent misses read the database once. The home
/// page's lists are cached under the same version. With Explorer:Cache false every request reads the database.
/// </summary>
public sealed class NetworkCache(
    HybridCache cache, LedgerFeed feed, NetworkReads network, MarketReads market, VaultReads vaults, ChainProgressReads progress, PayoutReads payouts,
    SupplyReads supply, NetworkMints mints, TimeProvider clock, ExplorerSettings settings)
{
    /// <summary>How many of the newest payouts and burns are cached (the home page shows fewer; GraphQL first pages up to this).</summary>
    public const int ListSize = 20;

    /// <summary>Buckets of the home page's supply charts.</summary>
    public const int ChartSpans = 24;

    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(5) };

    public async ValueTask<NetworkView> GetAsync(CancellationToken ct) =>
        settings.Cache
            ? await cache.GetOrCreateAsync($"network:{feed.Version}", this, static (self, token) => self.ReadAsync(token), Entry, cancellationToken: ct).ConfigureAwait(false)
            : await ReadAsync(ct).ConfigureAwait(false);

    /// <summary>The home page's lists, cached until the Ledger moves (the same version as the network's key).</summary>
    public async ValueTask<HomeLists> HomeListsAsync(CancellationToken ct) =>
        settings.Cache
            ? await cache.GetOrCreateAsync($"home:{feed.Version}", this, static (self, token) => self.ReadListsAsync(token), Entry, cancellationToken: ct).ConfigureAwait(false)
            : await ReadListsAsync(ct).ConfigureAwait(false);

    /// <summary>
    /// The first <paramref name="size"/> newest payouts from the cached list, or null when the request is not a plain
    /// first page (a filter, a cursor, a backward page, oldest first or more than <see cref="ListSize"/>).
    /// </summary>
    public async ValueTask<Page<Payout>?> NewestPayoutsAsync(PayoutFilter filter, PageRequest page, bool newestFirst, CancellationToken ct) =>
        IsPlainFirstPage(filter == new PayoutFilter(), page, newestFirst)
            ? Prefix((await HomeListsAsync(ct).ConfigureAwait(false)).Payouts, page.Size)
            : null;

    /// <summary>As <see cref="NewestPayoutsAsync"/>, for burns.</summary>
    public async ValueTask<Page<Burn>?> NewestBurnsAsync(SupplyFilter filter, PageRequest page, bool newestFirst, CancellationToken ct) =>
        IsPlainFirstPage(filter == new SupplyFilter(), page, newestFirst)
            ? Prefix((await HomeListsAsync(ct).ConfigureAwait(false)).Burns, page.Size)
            : null;

    private bool IsPlainFirstPage(bool unfiltered, PageRequest page, bool newestFirst) =>
        settings.Cache && unfiltered && newestFirst && !page.Backward && page.Cursor is null && page.Size <= ListSize;

    private static Page<T> Prefix<T>(Page<T> page, int size) =>
        page.Items.Count <= size ? page : new Page<T>([.. page.Items.Take(size)], false, true);

    private async ValueTask<NetworkView> ReadAsync(CancellationToken ct) =>
        new(await network.SnapshotAsync(ct).ConfigureAwait(false), await progress.ReadAsync(ct).ConfigureAwait(false),
            await market.SnapshotAsync(clock.GetUtcNow(), ct).ConfigureAwait(false), await vaults.ChecksAsync(ct).ConfigureAwait(false));

    private async ValueTask<HomeLists> ReadListsAsync(CancellationToken ct)
    {
        var first = new PageRequest(ListSize, false, null);
        return new HomeLists(
            await payouts.PageAsync(new PayoutFilter(), first, newestFirst: true, ct).ConfigureAwait(false),
            await supply.BurnsAsync(new SupplyFilter(), first, newestFirst: true, ct).ConfigureAwait(false),
            mints.Io is { } io ? await supply.OverTimeAsync(io, ChartSpans, ct).ConfigureAwait(false) : null,
            mints.Iosd is { } iosd ? await supply.OverTimeAsync(iosd, ChartSpans, ct).ConfigureAwait(false) : null);
    }
}
