using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using Npgsql;

namespace IoNet.Explorer.Reads;

/// <summary>One GPU model's market: best ask and bid of the resting book, the latest fill and a day's volume (micro-USD per GPU-hour; volume micro-USD).</summary>
public sealed record ModelMarket(
    string GpuModel, ulong? BestAsk, ulong? BestBid, ulong? LastFill, DateTimeOffset? LastFillAt, ulong Volume24h, long Fills,
    IReadOnlyList<(DateTimeOffset Hour, ulong AveragePrice)> HourlyPrices);

/// <summary>What the marketplace's read models say about the network as a whole (empty where the marketplace never wrote).</summary>
public sealed record MarketSnapshot(
    IReadOnlyList<(string Key, long Count)> DevicesByStatus, IReadOnlyList<(string Key, long Count)> GpusByModel,
    IReadOnlyList<(string Key, long Count)> DevicesByCountry, long? VerifiedSuppliers, long RegisteredDevices,
    IReadOnlyList<ModelMarket> Prices)
{
    public static MarketSnapshot Empty { get; } = new([], [], [], null, 0, []);
}

/// <summary>
/// The marketplace's read models for the home query: the device registry (<see cref="Device"/>) by status, GPU model and
/// country, and per GPU model <see cref="MarketPrice"/> (fills, volume) with <see cref="MarketBook"/> (best ask and bid).
/// One statement.
/// </summary>
public sealed class MarketReads(LedgerDb db)
{
    public async Task<MarketSnapshot> SnapshotAsync(DateTimeOffset now, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        var devices = db.Has<Device>() ? db.DocumentTable<Device>() : null;
        const string none = "'[]'::jsonb";
        var sql = $"""
            select
              {(devices is null ? none : $"(select coalesce(jsonb_agg(jsonb_build_array(k, n) order by k), '[]') from (select data->>'Status' k, count(*) n from {devices} group by 1) x)")},
              {(devices is null ? none : $"(select coalesce(jsonb_agg(jsonb_build_array(k, n) order by k), '[]') from (select data->>'GpuModel' k, sum((data->>'GpuCount')::bigint) n from {devices} where data->>'GpuModel' is not null group by 1) x)")},
              {(devices is null ? none : $"(select coalesce(jsonb_agg(jsonb_build_array(k, n) order by k), '[]') from (select upper(data->>'Country') k, count(*) n from {devices} where coalesce(data->>'Country', '') <> '' group by 1) x)")},
              {(devices is null ? "null::bigint" : $"(select count(distinct data->>'Owner') from {devices} where (data->>'MarkedEligible')::boolean)")},
              {(devices is null ? "0::bigint" : $"(select count(*) from {devices})")},
              {(db.Has<MarketPrice>() ? $"(select coalesce(jsonb_agg(data order by id), '[]') from {db.DocumentTable<MarketPrice>()})" : none)},
              {(db.Has<MarketBook>() ? $"(select data from {db.DocumentTable<MarketBook>()} where id = '{MarketBook.DocumentId}')" : "null::jsonb")}
            """;
        var rows = await db.QueryAsync(sql, null, r => (
            Status: Counts(r.GetString(0)), Gpus: Counts(r.GetString(1)), Countries: Counts(r.GetString(2)),
            Verified: r.IsDBNull(3) ? (long?)null : r.GetInt64(3), Registered: r.GetInt64(4),
            Prices: db.Document<List<MarketPrice>>(r, 5), Book: r.IsDBNull(6) ? null : db.Document<MarketBook>(r, 6)), ct).ConfigureAwait(false);
        if (rows.Count == 0)
            return MarketSnapshot.Empty;
        var row = rows[0];
        var statuses = row.Status.Select(s => (StatusName(s.Key), s.Count)).ToList();
        var prices = row.Prices.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var models = prices.Keys.Union(row.Book?.Models() ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var markets = models.Select(m =>
        {
            var price = prices.GetValueOrDefault(m);
            return new ModelMarket(m, row.Book?.BestAsk(m), row.Book?.BestBid(m), price?.LastFillPrice, price?.LastFillAt,
                price?.VolumeSince(now.AddHours(-24)) ?? 0, price?.Fills ?? 0, price is null ? [] : Hourly(price));
        }).ToList();
        return new MarketSnapshot(statuses, row.Gpus, row.Countries, row.Verified, row.Registered, markets);
    }

    /// <summary>A device status as stored (its number, or its name) in the API's spelling (DeviceStatus's name).</summary>
    public static string StatusName(string stored) =>
        int.TryParse(stored, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && Enum.IsDefined((DeviceStatus)n)
            ? ((DeviceStatus)n).ToString()
            : stored;

    private static List<(DateTimeOffset, ulong)> Hourly(MarketPrice price) =>
        [.. price.Hours.Where(h => h.Value.GpuHours > 0).OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => (DateTimeOffset.ParseExact(h.Key + ":00Z", "yyyy-MM-dd'T'HH:mmK", System.Globalization.CultureInfo.InvariantCulture), h.Value.VolumeMicroUsd / h.Value.GpuHours))];

    private static List<(string Key, long Count)> Counts(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(e => (e[0].GetString() ?? "", e[1].GetInt64()))];
    }
}

/// <summary>One proof-of-work challenge as the marketplace recorded it (its ProofOfWorkChallengeRecord document, read as JSON).</summary>
public sealed class ProofOfWorkRecord
{
    public Guid Challenge { get; set; }
    public Guid Device { get; set; }
    public int N { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public ulong? ElapsedMilliseconds { get; set; }
    public double ExpectedComputeSeconds { get; set; }
    public string? Outcome { get; set; }
    public string? Detail { get; set; }

    public bool Passed => Outcome == "Verified";
}

/// <summary>A device's proof-of-work standing as the marketplace keeps it (its DeviceProofOfWork document, read as JSON).</summary>
public sealed class ProofOfWorkStanding
{
    public string Id { get; set; } = "";
    public DateTimeOffset? LastVerifiedAt { get; set; }
    public string? LastOutcome { get; set; }
    public int Verified { get; set; }
    public int Failed { get; set; }
    public bool SlowerThanModel { get; set; }
    public string? SlowDetail { get; set; }

    /// <summary>The anomalies buyers are shown (docs/proof-of-work.md, "Anomalies"; the marketplace's DeviceProofOfWork.Anomalies).</summary>
    public IReadOnlyList<string> Anomalies()
    {
        var anomalies = new List<string>();
        if (Failed > 0)
            anomalies.Add($"{Failed} failed proof{(Failed == 1 ? "" : "s")} of work (last outcome: {LastOutcome})");
        if (SlowerThanModel && SlowDetail is not null)
            anomalies.Add(SlowDetail);
        return anomalies;
    }
}

/// <summary>
/// Proofs of work from the marketplace's documents in the same store (Marketplace.Api/ProofOfWork): the explorer reads
/// them as JSON, never writes. Empty where the marketplace has run no challenge yet.
/// </summary>
public sealed class ProofOfWorkReads(LedgerDb db)
{
    private const string Records = "mt_doc_proofofworkchallengerecord";
    private const string Standings = "mt_doc_deviceproofofwork";

    /// <summary>Each device's answered challenges, newest first, <paramref name="perDevice"/> at most; one statement.</summary>
    public async Task<Dictionary<string, List<ProofOfWorkRecord>>> HistoryOfAsync(IReadOnlyCollection<string> ids, int perDevice, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (!db.Has(Records))
            return [];
        var keys = ids.ToArray();
        var guids = keys.Select(k => Guid.TryParseExact(k, "N", out var g) ? g.ToString("D") : k).ToArray();
        var rows = await db.QueryAsync($"""
            select k.id, c.data from unnest($1::text[], $2::text[]) as k(id, guid)
            cross join lateral (select c.data from {db.Table(Records)} c where c.data->>'Device' = k.guid and c.data->>'Outcome' is not null
                order by (c.data->>'IssuedAt') desc, c.id limit {perDevice}) c
            """, p => { p.Add(new NpgsqlParameter { Value = keys }); p.Add(new NpgsqlParameter { Value = guids }); },
            r => (Id: r.GetString(0), Record: db.Document<ProofOfWorkRecord>(r, 1)), ct).ConfigureAwait(false);
        return rows.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Record).ToList(), StringComparer.Ordinal);
    }

    public async Task<Dictionary<string, ProofOfWorkStanding>> StandingsAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (!db.Has(Standings))
            return [];
        var rows = await db.QueryAsync($"select id, data from {db.Table(Standings)} where id = any($1)",
            p => p.Add(new NpgsqlParameter { Value = ids.ToArray() }), r => (Id: r.GetString(0), Doc: db.Document<ProofOfWorkStanding>(r, 1)), ct).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.Doc, StringComparer.Ordinal);
    }
}

/// <summary>
/// What the Ledger itself says is wrong with a tracked vault (VaultBalance): more out than in (no balance can be
/// stated), amounts that would not fit a u64 (inconsistencies), and tokens moved by no IoNet flow (unattributed).
/// </summary>
public sealed record VaultCheck(IoNet.Ledger.Vaults.VaultBalance Vault, string? Name)
{
    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>();
            if (Vault.Balance is null)
                problems.Add("the Ledger records more out of this vault than into it: its balance cannot be stated (see ./ionet indexer verify)");
            if (Vault.InconsistencyCount > 0)
                problems.Add($"{Vault.InconsistencyCount} event{(Vault.InconsistencyCount == 1 ? "" : "s")} could not be applied (a sum would pass u64)");
            if (Vault.UnattributedInflow > 0)
                problems.Add("tokens arrived that no IoNet flow accounts for");
            if (Vault.UnattributedOutflow > 0)
                problems.Add("tokens left that no IoNet flow accounts for");
            return problems;
        }
    }
}

/// <summary>The tracked vaults' VaultBalance documents (one statement), named from localnet's address file where known.</summary>
public sealed class VaultReads(LedgerDb db, ExplorerSettings settings)
{
    private readonly Lazy<Dictionary<string, string>> _names = new(() => VaultNames(settings.AddressFile));

    public async Task<IReadOnlyList<VaultCheck>> ChecksAsync(CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (!db.Has<IoNet.Ledger.Vaults.VaultBalance>())
            return [];
        var rows = await db.QueryAsync($"select data from {db.DocumentTable<IoNet.Ledger.Vaults.VaultBalance>()} order by id", null,
            r => db.Document<IoNet.Ledger.Vaults.VaultBalance>(r, 0), ct).ConfigureAwait(false);
        return [.. rows.Select(v => new VaultCheck(v, _names.Value.GetValueOrDefault(v.Id)))];
    }

    /// <summary>Vault token accounts by role ("escrow-iosd", "treasury", …) from localnet's addresses.json, if there is one.</summary>
    private static Dictionary<string, string> VaultNames(string? file)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file is null || !File.Exists(file))
            return names;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            if (doc.RootElement.TryGetProperty("vaults", out var vaults) && vaults.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var vault in vaults.EnumerateObject())
                {
                    var address = vault.Value.ValueKind == System.Text.Json.JsonValueKind.String ? vault.Value.GetString()
                        : vault.Value.TryGetProperty("address", out var a) ? a.GetString() : null;
                    if (address is not null)
                        names[address] = vault.Name;
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return names;
    }
}
