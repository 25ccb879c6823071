using IoNet.Ledger.Devices;

namespace IoNet.Explorer.Reads;

public enum DeviceOrderBy { Id, RewardsDescending, StakedDescending }

/// <summary>
/// Devices as the Ledger knows them today: every device that earned a reward or had stake (DeviceEarnings). Specs,
/// status, location, uptime and proofs arrive with the Suppliers issue's projections.
/// </summary>
public sealed class DeviceReads(LedgerDb db, DocumentReads documents)
{
    public Task<Page<DeviceEarnings>> PageAsync(bool? staked, DeviceOrderBy orderBy, PageRequest page, CancellationToken ct)
    {
        var conditions = new List<EventCondition>();
        if (staked is { } s)
            conditions.Add(new(s ? "(data->>'Staked')::numeric > {0}" : "(data->>'Staked')::numeric = {0}", 0m));
        var order = orderBy switch
        {
            DeviceOrderBy.RewardsDescending => new DocumentOrder("((data->>'Rewards')::numeric)", true),
            DeviceOrderBy.StakedDescending => new DocumentOrder("((data->>'Staked')::numeric)", true),
            _ => DocumentOrder.ById,
        };
        return documents.PageAsync<DeviceEarnings>(db.DocumentTable<DeviceEarnings>(), conditions, order, page, ct);
    }

    public Task<Dictionary<string, DeviceEarnings>> LoadManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        documents.LoadManyAsync<DeviceEarnings>(db.DocumentTable<DeviceEarnings>(), ids, ct);
}
