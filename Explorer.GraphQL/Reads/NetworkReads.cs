using System.Text.Json;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;

namespace IoNet.Explorer.Reads;

/// <summary>The mints the network runs on (IO and IOSD; USDC pays rentals too), when known from localnet's address file or the settings.</summary>
public sealed record NetworkMints(string? Io, string? Iosd, string? Usdc = null)
{
    public static NetworkMints From(ExplorerSettings settings)
    {
        string? io = settings.IoMint, iosd = settings.IosdMint, usdc = settings.UsdcMint;
        if ((io is null || iosd is null || usdc is null) && File.Exists(settings.AddressFile))
        {
            using var file = JsonDocument.Parse(File.ReadAllText(settings.AddressFile));
            if (file.RootElement.TryGetProperty("mints", out var mints))
            {
                io ??= Address(mints, "io");
                iosd ??= Address(mints, "iosd");
                usdc ??= Address(mints, "usdc");
            }
        }
        return new NetworkMints(io, iosd, usdc);
    }

    private static string? Address(JsonElement mints, string name) =>
        mints.TryGetProperty(name, out var mint) && mint.TryGetProperty("address", out var address) ? address.GetString() : null;
}

/// <summary>Everything the home page shows, read in one statement from the Ledger's projections.</summary>
public sealed record NetworkSnapshot(
    NetworkTotals Totals, IReadOnlyList<TokenSupply> Supplies, NetworkMints Mints,
    long Devices, long Clusters, long OpenClusters, long RewardBlocks, ulong? LatestRewardBlock, long Wallets)
{
    public TokenSupply? Supply(string? mint) => mint is null ? null : Supplies.FirstOrDefault(s => s.Id == mint);

    /// <summary>Everything paid to suppliers per mint: rental settlements, plus block rewards under the IO mint (when known).</summary>
    public Dictionary<string, ulong> PaidToSuppliers()
    {
        var sums = new Dictionary<string, ulong>(Totals.RentalsSettled, StringComparer.Ordinal);
        if (Mints.Io is { } io && Totals.RewardsPaid > 0)
            sums[io] = checked(sums.GetValueOrDefault(io) + Totals.RewardsPaid);
        return sums;
    }
}

public sealed class NetworkReads(LedgerDb db, NetworkMints mints)
{
    public async Task<NetworkSnapshot> SnapshotAsync(CancellationToken ct)
    {
        var sql = $"""
            select
              (select data from {db.DocumentTable<NetworkTotals>()} where id = '{NetworkTotals.DocumentId}'),
              (select coalesce(jsonb_agg(data order by id), '[]'::jsonb) from {db.DocumentTable<TokenSupply>()}),
              (select count(*) from {db.DocumentTable<DeviceEarnings>()}),
              (select count(*) from {db.DocumentTable<RentalEscrow>()}),
              (select count(*) from {db.DocumentTable<RentalEscrow>()}
                 where (data->>'Funded')::numeric > (data->>'Settled')::numeric + (data->>'Refunded')::numeric),
              (select count(*) from {db.DocumentTable<RewardBlockPayouts>()}),
              (select max(id::numeric) from {db.DocumentTable<RewardBlockPayouts>()}),
              (select count(*) from {db.DocumentTable<WalletSummary>()})
            """;
        var rows = await db.QueryAsync(sql, null, r => new NetworkSnapshot(
            r.IsDBNull(0) ? new NetworkTotals() : db.Document<NetworkTotals>(r, 0),
            db.Document<List<TokenSupply>>(r, 1), mints,
            r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.IsDBNull(6) ? null : (ulong)r.GetDecimal(6), r.GetInt64(7)), ct).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : new NetworkSnapshot(new NetworkTotals(), [], mints, 0, 0, 0, 0, null, 0);
    }
}
