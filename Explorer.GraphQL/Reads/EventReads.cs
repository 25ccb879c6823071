using System.Data.Common;
using System.Text;
using Npgsql;

namespace IoNet.Explorer.Reads;

/// <summary>A condition on an event's data: SQL over <c>data</c> with one parameter, <c>{0}</c> standing for it.</summary>
public sealed record EventCondition(string Sql, object Value);

/// <summary>
/// Keyset pages over mt_events in chain order (slot, then the order stored): one statement per page, whatever the
/// filters, served by the explorer's partial indexes (<see cref="ReadIndexes"/>). The sort key is the cursor.
/// </summary>
public sealed class EventReads(LedgerDb db)
{
    public const string CursorKind = "ev";

    public const string Slot = "((data->>'Slot')::bigint)";

    public async Task<Page<LedgerEventRecord>> PageAsync(
        IReadOnlyCollection<string> aliases, IReadOnlyList<EventCondition> conditions, PageRequest page, bool newestFirst, CancellationToken ct)
    {
        var sql = new StringBuilder($"select seq_id, stream_id, type, data from {db.Table("mt_events")} where {TypeIn(aliases)}");
        var values = new List<object>();
        foreach (var condition in conditions)
        {
            values.Add(condition.Value);
            sql.Append(" and ").Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, condition.Sql, "$" + values.Count));
        }
        // Reading backwards flips the order; the page is put back in the connection's order below.
        var descending = newestFirst != page.Backward;
        if (page.Cursor is { } cursor)
        {
            values.Add(Cursors.Long(cursor, 0));
            values.Add(Cursors.Long(cursor, 1));
            sql.Append($" and ({Slot}, seq_id) {(descending ? "<" : ">")} (${values.Count - 1}, ${values.Count})");
        }
        var direction = descending ? "desc" : "asc";
        sql.Append($" order by {Slot} {direction}, seq_id {direction} limit {page.Size + 1}");
        var rows = await db.QueryAsync(sql.ToString(), p => Bind(p, values), Read, ct).ConfigureAwait(false);
        return ToPage(rows.Where(r => r is not null).Select(r => r!).ToList(), page);
    }

    /// <summary>Every event of the given kinds matching one condition, in chain order (for small, bounded sets).</summary>
    public async Task<List<LedgerEventRecord>> AllAsync(IReadOnlyCollection<string> aliases, EventCondition condition, int limit, CancellationToken ct)
    {
        var sql = $"select seq_id, stream_id, type, data from {db.Table("mt_events")} where {TypeIn(aliases)} and {string.Format(System.Globalization.CultureInfo.InvariantCulture, condition.Sql, "$1")} order by {Slot}, seq_id limit {limit}";
        var rows = await db.QueryAsync(sql, p => p.Add(new NpgsqlParameter { Value = condition.Value }), Read, ct).ConfigureAwait(false);
        return rows.Where(r => r is not null).Select(r => r!).ToList();
    }

    /// <summary>
    /// For many keys at once (batched loading), the first <paramref name="perKey"/> events of each key, newest first:
    /// one statement, a lateral join per key. <paramref name="keySql"/> is the keyed expression over <c>data</c>.
    /// </summary>
    public async Task<Dictionary<string, List<LedgerEventRecord>>> FirstPerKeyAsync(
        IReadOnlyCollection<string> aliases, string keySql, IReadOnlyCollection<string> keys, int perKey, CancellationToken ct)
    {
        var sql = $"""
            select k.key, e.seq_id, e.stream_id, e.type, e.data
            from unnest($1::text[]) as k(key)
            cross join lateral (
                select seq_id, stream_id, type, data from {db.Table("mt_events")}
                where {TypeIn(aliases)} and {keySql} = k.key
                order by {Slot} desc, seq_id desc limit {perKey}) e
            """;
        var rows = await db.QueryAsync(sql, p => p.Add(new NpgsqlParameter { Value = keys.ToArray() }),
            r => (Key: r.GetString(0), Record: Read(r, 1)), ct).ConfigureAwait(false);
        var result = keys.ToDictionary(k => k, _ => new List<LedgerEventRecord>(), StringComparer.Ordinal);
        foreach (var (key, record) in rows)
        {
            if (record is not null)
                result[key].Add(record);
        }
        return result;
    }

    /// <summary>Every event of each transaction, in instruction order: one statement for all signatures.</summary>
    public async Task<Dictionary<string, List<LedgerEventRecord>>> BySignaturesAsync(IReadOnlyCollection<string> signatures, CancellationToken ct)
    {
        var sql = $"select seq_id, stream_id, type, data from {db.Table("mt_events")} where stream_id = any($1) order by stream_id, version";
        var rows = await db.QueryAsync(sql, p => p.Add(new NpgsqlParameter { Value = signatures.ToArray() }), Read, ct).ConfigureAwait(false);
        var result = signatures.ToDictionary(s => s, _ => new List<LedgerEventRecord>(), StringComparer.Ordinal);
        foreach (var record in rows)
        {
            if (record is not null)
                result[record.Signature].Add(record);
        }
        return result;
    }

    public string TypeIn(IReadOnlyCollection<string> aliases) =>
        aliases.Count == 1 ? $"type = '{aliases.First()}'" : $"type in ({string.Join(", ", aliases.Select(a => $"'{a}'"))})";

    private LedgerEventRecord? Read(DbDataReader r) => Read(r, 0);

    private LedgerEventRecord? Read(DbDataReader r, int first)
    {
        var e = db.Event(r.GetString(first + 2), r, first + 3);
        return e is null ? null : new LedgerEventRecord(r.GetInt64(first), r.GetString(first + 1), e);
    }

    private static void Bind(NpgsqlParameterCollection parameters, List<object> values)
    {
        foreach (var value in values)
            parameters.Add(new NpgsqlParameter { Value = value });
    }

    private static Page<LedgerEventRecord> ToPage(List<LedgerEventRecord> rows, PageRequest page)
    {
        var more = rows.Count > page.Size;
        if (more)
            rows.RemoveAt(rows.Count - 1);
        if (page.Backward)
            rows.Reverse();
        var items = rows.Select(r => (r, r.Cursor)).ToList();
        return page.Backward
            ? new Page<LedgerEventRecord>(items, more, page.Cursor is not null)
            : new Page<LedgerEventRecord>(items, page.Cursor is not null, more);
    }
}
