using System.Globalization;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Rentals;
using Npgsql;

namespace IoNet.Explorer.Reads;

public enum DeviceOrderBy { Id, RewardsDescending, StakedDescending }

/// <summary>Every field set narrows. Status, model, country and owner are the marketplace registry's.</summary>
public sealed record DeviceFilter(bool? Staked = null, DeviceStatus? Status = null, string? GpuModel = null, string? Country = null, string? Owner = null);

/// <summary>
/// A device as the explorer shows it: the marketplace's registry (<see cref="Device"/>: specs, status, location,
/// connectivity; null for a device only the chain knows) and the Ledger's earnings (<see cref="DeviceEarnings"/>; zeros
/// for a device never rewarded nor staked). Both are keyed by the device Guid as 32 hex digits.
/// </summary>
public sealed class DeviceRow
{
    public Device? Registry { get; set; }

    public DeviceEarnings? Earnings { get; set; }

    public string Id => Registry?.Id ?? Earnings?.Id ?? "";

    public DeviceEarnings EarningsOrZero => Earnings ?? new DeviceEarnings { Id = Id };
}

/// <summary>
/// Devices: the registered ones (Device, inline snapshot of the marketplace's device streams) and every device the chain
/// rewarded or staked for (DeviceEarnings), joined on their id; one statement per page or batch.
/// </summary>
public sealed class DeviceReads(LedgerDb db, DocumentReads documents)
{
    private const string Rewards = "coalesce((data->'Earnings'->>'Rewards')::numeric, 0)";
    private const string Staked = "coalesce((data->'Earnings'->>'Staked')::numeric, 0)";

    public async Task<Page<DeviceRow>> PageAsync(DeviceFilter filter, DeviceOrderBy orderBy, PageRequest page, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (Source(null) is not { } source)
            return new Page<DeviceRow>([], false, false);
        var conditions = new List<EventCondition>();
        if (filter.Staked is { } s)
            conditions.Add(new(s ? Staked + " > {0}" : Staked + " = {0}", 0m));
        if (filter.Status is { } status)
            conditions.Add(new("(data->'Registry'->>'Status') = any({0})", EnumForms(status)));
        if (filter.GpuModel is { } model)
            conditions.Add(new("(data->'Registry'->>'GpuModel') = {0}", model));
        if (filter.Country is { } country)
            conditions.Add(new("(data->'Registry'->>'Country') = {0}", country.ToUpperInvariant()));
        if (filter.Owner is { } owner)
            conditions.Add(new("(data->'Registry'->>'Owner') = {0}", owner));
        var order = orderBy switch
        {
            DeviceOrderBy.RewardsDescending => new DocumentOrder(Rewards, true),
            DeviceOrderBy.StakedDescending => new DocumentOrder(Staked, true),
            _ => DocumentOrder.ById,
        };
        return await documents.PageAsync<DeviceRow>(source, conditions, order, page, ct).ConfigureAwait(false);
    }

    public async Task<Dictionary<string, DeviceRow>> LoadManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (Source("$1") is not { } source)
            return [];
        return await documents.LoadManyAsync<DeviceRow>(source, ids, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Each device's rentals (clusters), newest first, <paramref name="perDevice"/> at most: one statement for all devices.
    /// </summary>
    public async Task<Dictionary<string, List<ClusterRow>>> RentalsOfAsync(IReadOnlyCollection<string> ids, int perDevice, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (!db.Has<Rental>())
            return [];
        var escrow = db.Has<RentalEscrow>() ? $"(select data from {db.DocumentTable<RentalEscrow>()} e where e.id = r.id)" : "null::jsonb";
        var sql = $"""
            select k.id, jsonb_build_object('Rental', r.data, 'Escrow', {escrow})
            from unnest($1::text[], $2::text[]) as k(id, guid)
            cross join lateral (select r.id, r.data from {db.DocumentTable<Rental>()} r
                where r.data->'Devices' @> jsonb_build_array(jsonb_build_object('Device', k.guid))
                order by (r.data->>'MatchedAt') desc, r.id limit {perDevice}) r
            """;
        var keys = ids.ToArray();
        var guids = keys.Select(k => Guid.TryParseExact(k, "N", out var g) ? g.ToString("D") : k).ToArray();
        var rows = await db.QueryAsync(sql, p => { p.Add(new NpgsqlParameter { Value = keys }); p.Add(new NpgsqlParameter { Value = guids }); },
            r => (Id: r.GetString(0), Row: db.Document<ClusterRow>(r, 1)), ct).ConfigureAwait(false);
        return rows.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Row).ToList(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The registry full-joined with the earnings, as a derived table of (id, data {Registry, Earnings}); with
    /// <paramref name="idsParameter"/> only those ids (so a batch load reads by primary key). Null when neither table exists yet.
    /// </summary>
    private string? Source(string? idsParameter)
    {
        var where = idsParameter is null ? "" : $" where id = any({idsParameter})";
        var registry = db.Has<Device>() ? $"(select id, data from {db.DocumentTable<Device>()}{where})" : null;
        var earnings = db.Has<DeviceEarnings>() ? $"(select id, data from {db.DocumentTable<DeviceEarnings>()}{where})" : null;
        return (registry, earnings) switch
        {
            ({ } r, { } e) => $"(select coalesce(r.id, e.id) as id, jsonb_build_object('Registry', r.data, 'Earnings', e.data) as data from {r} r full outer join {e} e on e.id = r.id) as devices",
            ({ } r, null) => $"(select id, jsonb_build_object('Registry', data) as data from {r} r) as devices",
            (null, { } e) => $"(select id, jsonb_build_object('Earnings', data) as data from {e} e) as devices",
            _ => null,
        };
    }

    /// <summary>An enum as Marten may have stored it: its number (the default) or its name (types with a string converter).</summary>
    public static string[] EnumForms<T>(T value) where T : struct, Enum =>
        [Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), value.ToString()];
}
