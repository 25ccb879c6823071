using System.Text.Json;
using IoNet.Ledger.Devices;
using IoNet.Marketplace.Http;
using Npgsql;

namespace IoNet.Marketplace.Rewards;

/// <summary>
/// Devices' stakes as the indexer's <see cref="DeviceEarnings"/> read model holds them (Staked: deposits less
/// withdrawals and slashes). Read as JSON from the indexer's table, not through this service's Marten: the indexer maps
/// the document as a projection (numeric revisions), and loading it as a plain document here would make Marten migrate
/// the indexer's table (it fails: mt_version cannot become a uuid). No table yet means no stake anywhere.
/// </summary>
public sealed class IndexedStakes(MarketplaceDatabase database)
{
    public const string TableName = "mt_doc_deviceearnings";

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Staked IO base units by device id (32 hex digits), of every device with a stake above 0.</summary>
    public async Task<IReadOnlyDictionary<string, ulong>> StakedAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(ct);
        await using var select = new NpgsqlCommand($"SELECT data::text FROM {database.Table(TableName)}", connection);
        try
        {
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (JsonSerializer.Deserialize<DeviceEarnings>(reader.GetString(0), Json) is { Staked: > 0 and var staked } earnings)
                    result[earnings.Id] = staked;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The indexer has not stored any stake in this schema yet.
        }
        return result;
    }
}
