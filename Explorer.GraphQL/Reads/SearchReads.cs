using IoNet.Ledger.Devices;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;
using Npgsql;

namespace IoNet.Explorer.Reads;

public enum SearchKind { Transaction, Wallet, Device, Cluster, RewardBlock, Mint }

/// <summary>Something the Ledger holds under the searched text.</summary>
public sealed record SearchHit(SearchKind Kind, string Key);

/// <summary>One statement: is the text a signature, a wallet, a device, a cluster (rental), a reward block or a mint?</summary>
public sealed class SearchReads(LedgerDb db)
{
    public const int MaxLength = 128;

    public async Task<List<SearchHit>> SearchAsync(string text, CancellationToken ct)
    {
        var key = text.Trim();
        if (key.Length is 0 or > MaxLength)
            return [];
        var id = Ids.Normalize(key);
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        // Devices and rentals have streams too (the marketplace's, keyed by their id): a Guid is never a transaction.
        var isGuid = Guid.TryParse(key, out _);
        var sql = $"""
            select 0, id from {db.Table("mt_streams")} where id = $1 and not {(isGuid ? "true" : "false")}
            union all select 1, id from {db.DocumentTable<WalletSummary>()} where id = $1
            union all select 2, id from {db.DocumentTable<DeviceEarnings>()} where id = $2
            {(db.Has<Device>() ? $"union all select 2, id from {db.DocumentTable<Device>()} where id = $2" : "")}
            union all select 3, id from {db.DocumentTable<RentalEscrow>()} where id = $2
            {(db.Has<Rental>() ? $"union all select 3, id from {db.DocumentTable<Rental>()} where id = $2" : "")}
            union all select 4, id from {db.DocumentTable<RewardBlockPayouts>()} where id = $1
            union all select 5, id from {db.DocumentTable<TokenSupply>()} where id = $1
            """;
        return (await db.QueryAsync(sql, p =>
        {
            p.Add(new NpgsqlParameter { Value = key });
            p.Add(new NpgsqlParameter { Value = id });
        }, r => new SearchHit((SearchKind)r.GetInt32(0), r.GetString(1)), ct).ConfigureAwait(false)).Distinct().ToList();
    }
}
