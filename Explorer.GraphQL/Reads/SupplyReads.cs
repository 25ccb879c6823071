using IoNet.Ledger.Chain;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;

namespace IoNet.Explorer.Reads;

/// <summary>Why tokens left the supply: a plain burn (a credit purchase burns this way), the protocol fee, or a stake slash.</summary>
public enum BurnReason { Burn, Fee, Slash }

/// <summary>A burn of a tracked mint, as the Ledger recorded it.</summary>
public sealed record Burn(LedgerEventRecord Record)
{
    public BurnReason Reason => Record.Event switch { FeesBurned => BurnReason.Fee, StakeSlashed => BurnReason.Slash, _ => BurnReason.Burn };
    public string Signature => Record.Signature;
    public IChainEvent Event => Record.Event;
    public string Mint => Record.Event switch { TokensBurned b => b.Mint, FeesBurned f => f.Mint, StakeSlashed s => s.Mint, _ => "" };
    public ulong Amount => Record.Event switch { TokensBurned b => b.Amount, FeesBurned f => f.Amount, StakeSlashed s => s.Amount, _ => 0 };
    public string? Account => Record.Event switch { TokensBurned b => b.Account, FeesBurned f => f.Account, _ => null };
    public string? Owner => Record.Event switch { TokensBurned b => b.Owner, StakeSlashed s => s.Staker, _ => null };
    public string? Device => (Record.Event as StakeSlashed)?.Device;
}

/// <summary>A mint of a tracked mint (IOSD credits are minted this way).</summary>
public sealed record MintEvent(LedgerEventRecord Record)
{
    public TokensMinted Minted => (TokensMinted)Record.Event;
}

/// <summary>An IO burn and the IOSD mint that paid for it, linked by the mint's memo.</summary>
public sealed record CreditPurchase(LedgerEventRecord Record)
{
    public CreditsPurchased Purchase => (CreditsPurchased)Record.Event;
}

/// <summary>What was minted and burned of a mint in one span of block time (Unix seconds from <see cref="Start"/>).</summary>
public sealed record SupplyBucket(long Start, ulong Minted, ulong Burned);

/// <summary>A mint's supply changes over time in equal spans of <see cref="BucketSeconds"/>; empty when nothing has a block time.</summary>
public sealed record SupplySeries(string Mint, long From, long BucketSeconds, IReadOnlyList<SupplyBucket> Buckets);

public sealed record SupplyFilter(string? Mint = null, string? Owner = null, BurnReason? Reason = null, long? FromTime = null, long? ToTime = null);

/// <summary>Burns, mints and credit purchases: keyset pages over their events.</summary>
public sealed class SupplyReads(LedgerDb db, EventReads events)
{
    public async Task<Page<Burn>> BurnsAsync(SupplyFilter filter, PageRequest page, bool newestFirst, CancellationToken ct)
    {
        List<string> aliases = filter.Reason switch
        {
            BurnReason.Burn => [db.Alias<TokensBurned>()],
            BurnReason.Fee => [db.Alias<FeesBurned>()],
            BurnReason.Slash => [db.Alias<StakeSlashed>()],
            _ => [db.Alias<TokensBurned>(), db.Alias<FeesBurned>(), db.Alias<StakeSlashed>()],
        };
        var conditions = Common(filter);
        if (filter.Owner is { } owner)
            conditions.Add(new("coalesce(data->>'Owner', data->>'Staker') = {0}", owner));
        var result = await events.PageAsync(aliases, conditions, page, newestFirst, ct).ConfigureAwait(false);
        return new Page<Burn>(result.Items.Select(i => (new Burn(i.Node), i.Cursor)).ToList(), result.HasPreviousPage, result.HasNextPage);
    }

    public async Task<Page<MintEvent>> MintsAsync(SupplyFilter filter, PageRequest page, bool newestFirst, CancellationToken ct)
    {
        var conditions = Common(filter);
        if (filter.Owner is { } owner)
            conditions.Add(new("(data->>'Owner') = {0}", owner));
        var result = await events.PageAsync([db.Alias<TokensMinted>()], conditions, page, newestFirst, ct).ConfigureAwait(false);
        return new Page<MintEvent>(result.Items.Select(i => (new MintEvent(i.Node), i.Cursor)).ToList(), result.HasPreviousPage, result.HasNextPage);
    }

    /// <summary>Credit purchases; <see cref="SupplyFilter.Owner"/> is the buyer.</summary>
    public async Task<Page<CreditPurchase>> CreditsAsync(SupplyFilter filter, PageRequest page, bool newestFirst, CancellationToken ct)
    {
        var conditions = Times(filter);
        if (filter.Owner is { } buyer)
            conditions.Add(new("(data->>'Buyer') = {0}", buyer));
        var result = await events.PageAsync([db.Alias<CreditsPurchased>()], conditions, page, newestFirst, ct).ConfigureAwait(false);
        return new Page<CreditPurchase>(result.Items.Select(i => (new CreditPurchase(i.Node), i.Cursor)).ToList(), result.HasPreviousPage, result.HasNextPage);
    }

    /// <summary>Credit requests (an IO burn under a `buy` memo); <see cref="SupplyFilter.Owner"/> is the buyer.</summary>
    public async Task<Page<LedgerEventRecord>> CreditRequestsAsync(SupplyFilter filter, PageRequest page, bool newestFirst, CancellationToken ct)
    {
        var conditions = Times(filter);
        if (filter.Owner is { } buyer)
            conditions.Add(new("(data->>'Buyer') = {0}", buyer));
        return await events.PageAsync([db.Alias<CreditsRequested>()], conditions, page, newestFirst, ct).ConfigureAwait(false);
    }

    /// <summary>The credit purchase (IOSD mint) that paid each burn, by the burn's signature; one statement.</summary>
    public async Task<Dictionary<string, CreditPurchase>> PurchasesOfBurnsAsync(IReadOnlyCollection<string> burnSignatures, CancellationToken ct)
    {
        var found = await events.FirstPerKeyAsync([db.Alias<CreditsPurchased>()], "(data->>'BurnSignature')", burnSignatures, 1, ct).ConfigureAwait(false);
        return found.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => new CreditPurchase(p.Value[0]), StringComparer.Ordinal);
    }

    /// <summary>
    /// A mint's mints and burns (every burn reason) summed into at most <paramref name="buckets"/> equal spans of block
    /// time, from its first to its last event that has a block time: one statement. Spans with no event are absent.
    /// </summary>
    public async Task<SupplySeries> OverTimeAsync(string mint, int buckets, CancellationToken ct)
    {
        var minted = db.Alias<TokensMinted>();
        var sql = $"""
            with e as (
              select (data->>'BlockTime')::bigint as t, (data->>'Amount')::numeric as a, type = '{minted}' as minted
              from {db.Table("mt_events")}
              where {events.TypeIn([minted, db.Alias<TokensBurned>(), db.Alias<FeesBurned>(), db.Alias<StakeSlashed>()])}
                and (data->>'Mint') = $1 and (data->>'BlockTime') is not null),
            r as (select min(t) as lo, greatest(1, ceil((max(t) - min(t) + 1)::numeric / $2))::bigint as w from e)
            select r.lo, r.w, (e.t - r.lo) / r.w as i,
                   coalesce(sum(e.a) filter (where e.minted), 0), coalesce(sum(e.a) filter (where not e.minted), 0)
            from e cross join r group by r.lo, r.w, i order by i
            """;
        var rows = await db.QueryAsync(sql, p =>
        {
            p.Add(new Npgsql.NpgsqlParameter { Value = mint });
            p.Add(new Npgsql.NpgsqlParameter { Value = Math.Max(1, buckets) });
        }, r => (From: r.GetInt64(0), Width: r.GetInt64(1), Index: r.GetInt64(2), Minted: (ulong)r.GetDecimal(3), Burned: (ulong)r.GetDecimal(4)), ct).ConfigureAwait(false);
        return rows.Count == 0
            ? new SupplySeries(mint, 0, 0, [])
            : new SupplySeries(mint, rows[0].From, rows[0].Width, [.. rows.Select(r => new SupplyBucket(checked(r.From + (r.Index * r.Width)), r.Minted, r.Burned))]);
    }

    private static List<EventCondition> Common(SupplyFilter filter)
    {
        var conditions = Times(filter);
        if (filter.Mint is { } mint)
            conditions.Add(new("(data->>'Mint') = {0}", mint));
        return conditions;
    }

    private static List<EventCondition> Times(SupplyFilter filter)
    {
        var conditions = new List<EventCondition>();
        if (filter.FromTime is { } from)
            conditions.Add(new("(data->>'BlockTime')::bigint >= {0}", from));
        if (filter.ToTime is { } to)
            conditions.Add(new("(data->>'BlockTime')::bigint < {0}", to));
        return conditions;
    }
}
