using System.Globalization;
using System.Text;
using Npgsql;

namespace IoNet.Explorer.Reads;

/// <summary>How a connection of projection documents is sorted: by id, or by a numeric member and then id.</summary>
public sealed record DocumentOrder(string? NumericSql, bool Descending)
{
    public static DocumentOrder ById { get; } = new(null, false);
}

/// <summary>Keyset pages and batched loads over one projection's document table (one statement each).</summary>
public sealed class DocumentReads(LedgerDb db)
{
    public const string CursorKind = "doc";

    public async Task<Page<T>> PageAsync<T>(string table, IReadOnlyList<EventCondition> conditions, DocumentOrder order, PageRequest page, CancellationToken ct)
    {
        var sql = new StringBuilder($"select id, data, {order.NumericSql ?? "0::numeric"} as sort from {table} where true");
        var values = new List<object>();
        foreach (var condition in conditions)
        {
            values.Add(condition.Value);
            sql.Append(" and ").Append(string.Format(CultureInfo.InvariantCulture, condition.Sql, "$" + values.Count));
        }
        var descending = order.Descending != page.Backward;
        var op = descending ? "<" : ">";
        if (page.Cursor is { } cursor)
        {
            if (order.NumericSql is { } numeric)
            {
                values.Add(Cursors.Number(cursor, 0));
                values.Add(cursor.Length > 1 ? cursor[1] : throw new ReadException("BAD_CURSOR", "The cursor is damaged."));
                sql.Append($" and ({numeric}, id) {op} (${values.Count - 1}, ${values.Count})");
            }
            else
            {
                values.Add(cursor[0]);
                sql.Append($" and id {op} ${values.Count}");
            }
        }
        var direction = descending ? "desc" : "asc";
        sql.Append(order.NumericSql is { } n ? $" order by {n} {direction}, id {direction}" : $" order by id {direction}");
        sql.Append($" limit {page.Size + 1}");
        var rows = await db.QueryAsync(sql.ToString(), p => { foreach (var v in values) p.Add(new NpgsqlParameter { Value = v }); },
            r => (Id: r.GetString(0), Doc: db.Document<T>(r, 1), Sort: r.GetDecimal(2)), ct).ConfigureAwait(false);
        var more = rows.Count > page.Size;
        if (more)
            rows.RemoveAt(rows.Count - 1);
        if (page.Backward)
            rows.Reverse();
        var items = rows.Select(r => (r.Doc, order.NumericSql is null
            ? Cursors.Encode(CursorKind, r.Id)
            : Cursors.Encode(CursorKind, r.Sort.ToString(CultureInfo.InvariantCulture), r.Id))).ToList();
        return page.Backward ? new Page<T>(items, more, page.Cursor is not null) : new Page<T>(items, page.Cursor is not null, more);
    }

    /// <summary>The documents with these ids (missing ones absent): one statement.</summary>
    public async Task<Dictionary<string, T>> LoadManyAsync<T>(string table, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var rows = await db.QueryAsync($"select id, data from {table} where id = any($1)",
            p => p.Add(new NpgsqlParameter { Value = ids.ToArray() }), r => (Id: r.GetString(0), Doc: db.Document<T>(r, 1)), ct).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.Doc, StringComparer.Ordinal);
    }

    public async Task<T?> LoadAsync<T>(string table, string id, CancellationToken ct) where T : class =>
        (await LoadManyAsync<T>(table, [id], ct).ConfigureAwait(false)).GetValueOrDefault(id);
}
