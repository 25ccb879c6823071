using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace IoNet.Explorer.Reads;

/// <summary>A Relay page request: <c>first</c>/<c>after</c> forwards or <c>last</c>/<c>before</c> backwards, never both.</summary>
public sealed record PageRequest(int Size, bool Backward, string[]? Cursor)
{
    /// <summary>Checks and decodes the Relay arguments; a caller's mistake throws <see cref="ReadException"/>.</summary>
    public static PageRequest From(int? first, string? after, int? last, string? before, string cursorKind, int defaultSize, int maxSize)
    {
        if (first is not null && last is not null)
            throw new ReadException("BAD_PAGINATION", "Pass either first (with after) or last (with before), not both.");
        if (after is not null && before is not null)
            throw new ReadException("BAD_PAGINATION", "Pass either after or before, not both.");
        if (first < 0 || last < 0)
            throw new ReadException("BAD_PAGINATION", "first and last must not be negative.");
        if (first > maxSize || last > maxSize)
            throw new ReadException("BAD_PAGINATION", $"At most {maxSize} items per page.");
        if (last is not null || (before is not null && first is null))
            return new PageRequest(last ?? defaultSize, true, before is null ? null : Cursors.Decode(before, cursorKind));
        return new PageRequest(first ?? defaultSize, false, after is null ? null : Cursors.Decode(after, cursorKind));
    }
}

/// <summary>One page of a connection, in the connection's order, each item with its cursor.</summary>
public sealed record Page<T>(IReadOnlyList<(T Node, string Cursor)> Items, bool HasPreviousPage, bool HasNextPage);

/// <summary>
/// Opaque, stable cursors: the item's sort key (e.g. slot and event sequence) in base64url. A cursor stays valid while
/// the Ledger grows, and a page read after it holds exactly the items past that key then.
/// </summary>
public static class Cursors
{
    public static string Encode(string kind, params string[] parts) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(kind + ":" + string.Join(':', parts)));

    public static string Encode(string kind, long a, long b) =>
        Encode(kind, a.ToString(CultureInfo.InvariantCulture), b.ToString(CultureInfo.InvariantCulture));

    public static string[] Decode(string cursor, string kind)
    {
        try
        {
            if (cursor.Length is > 0 and <= 512)
            {
                var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
                var parts = text.Split(':');
                if (parts.Length >= 2 && parts[0] == kind)
                    return parts[1..];
            }
        }
        catch (FormatException)
        {
        }
        throw new ReadException("BAD_CURSOR", $"'{Shorten(cursor)}' is not a cursor of this connection.");
    }

    public static long Long(string[] parts, int index) =>
        index < parts.Length && long.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ReadException("BAD_CURSOR", "The cursor is damaged.");

    public static decimal Number(string[] parts, int index) =>
        index < parts.Length && decimal.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ReadException("BAD_CURSOR", "The cursor is damaged.");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>A read the caller asked for wrongly (a bad cursor, filter or id): a GraphQL error with <see cref="Code"/>.</summary>
public sealed class ReadException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
