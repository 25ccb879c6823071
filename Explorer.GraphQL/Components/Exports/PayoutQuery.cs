using System.Globalization;
using IoNet.Explorer.Reads;

namespace IoNet.Explorer.Components.Exports;

/// <summary>
/// The payout filters of the query string, shared by the Payouts page and /payouts.csv: <c>kind</c> (reward or
/// settlement), <c>wallet</c>, <c>device</c>, <c>cluster</c>, <c>block</c>, <c>mint</c>, <c>from</c>/<c>to</c> (Unix seconds).
/// </summary>
public sealed record PayoutQuery(string? Kind, string? Wallet, string? Device, string? Cluster, string? Block, string? Mint, long? From, long? To)
{
    public static PayoutQuery Of(IQueryCollection query) => new(
        Text(query, "kind"), Text(query, "wallet"), Text(query, "device"), Text(query, "cluster"), Text(query, "block"), Text(query, "mint"),
        long.TryParse(query["from"], NumberStyles.None, CultureInfo.InvariantCulture, out var from) ? from : null,
        long.TryParse(query["to"], NumberStyles.None, CultureInfo.InvariantCulture, out var to) ? to : null);

    /// <summary>The Ledger filter, or the reason the query string cannot be one.</summary>
    public (PayoutFilter? Filter, string? Error) ToFilter()
    {
        PayoutKind? kind;
        switch (Kind?.ToLowerInvariant())
        {
            case null or "all":
                kind = null;
                break;
            case "reward":
                kind = PayoutKind.Reward;
                break;
            case "settlement":
                kind = PayoutKind.RentalSettlement;
                break;
            default:
                return (null, $"'{Kind}' is not a payout kind (reward or settlement).");
        }
        ulong? block = null;
        if (!string.IsNullOrEmpty(Block))
        {
            if (!ulong.TryParse(Block, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return (null, $"'{Block}' is not a reward block number.");
            block = number;
        }
        return (new PayoutFilter(Wallet, Device, block, Cluster, Mint, From, To, kind), null);
    }

    /// <summary>The same filters as query parameters (for links: the CSV export of what a page shows).</summary>
    public string QueryString()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        Add("kind", Kind);
        Add("wallet", Wallet);
        Add("device", Device);
        Add("cluster", Cluster);
        Add("block", Block);
        Add("mint", Mint);
        Add("from", From?.ToString(CultureInfo.InvariantCulture));
        Add("to", To?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static string? Text(IQueryCollection query, string name) => query[name] is { Count: > 0 } v && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;
}
