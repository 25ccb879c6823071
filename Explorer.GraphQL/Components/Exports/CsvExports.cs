using System.Globalization;
using System.Text;
using IoNet.Explorer.Reads;

namespace IoNet.Explorer.Components.Exports;

/// <summary>
/// CSV exports (RFC 4180, UTF-8) of payouts (<c>/payouts.csv</c>, the Payouts page's filters) and reward blocks
/// (<c>/blocks.csv</c>): every row, oldest first, streamed page by page over the same keyset reads as the pages.
/// Amounts twice: base units (integers) and the token's decimal text, both exact.
/// </summary>
public static class CsvExports
{
    private const int Batch = 500;

    public static IEndpointRouteBuilder MapCsvExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/payouts.csv", PayoutsAsync).ExcludeFromDescription();
        app.MapGet("/blocks.csv", BlocksAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task PayoutsAsync(HttpContext http, PayoutReads payouts, TokenCatalog tokens)
    {
        var (filter, error) = PayoutQuery.Of(http.Request.Query).ToFilter();
        if (filter is null)
        {
            await Results.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Bad filter").ExecuteAsync(http);
            return;
        }
        var ct = http.RequestAborted;
        await using var csv = Start(http, "payouts.csv");
        await csv.WriteLineAsync("signature,slot,block_time,kind,recipient,mint,token,amount_base_units,amount,device,reward_block,cluster,path".AsMemory(), ct);
        string? after = null;
        do
        {
            var page = await payouts.PageAsync(filter, new PageRequest(Batch, false, after is null ? null : Cursors.Decode(after, EventReads.CursorKind)), newestFirst: false, ct);
            foreach (var (p, _) in page.Items)
            {
                var token = tokens.Of(p.Mint);
                await csv.WriteLineAsync(Row(
                    p.Signature, Text(p.Slot), p.BlockTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "",
                    p.Kind == PayoutKind.Reward ? "reward" : "settlement", p.Recipient, p.Mint, token?.Symbol ?? "", Text(p.Amount),
                    token is null ? "" : AmountText.Plain(p.Amount, token.Decimals), p.Device ?? "", p.RewardBlock is { } b ? Text(b) : "", p.Cluster ?? "", p.Path).AsMemory(), ct);
            }
            after = page.HasNextPage && page.Items.Count > 0 ? page.Items[^1].Cursor : null;
        }
        while (after is not null);
    }

    private static async Task BlocksAsync(HttpContext http, RewardBlockReads blocks)
    {
        var ct = http.RequestAborted;
        await using var csv = Start(http, "blocks.csv");
        await csv.WriteLineAsync("number,total_base_units,total_io,devices".AsMemory(), ct);
        string? after = null;
        do
        {
            var page = await blocks.PageAsync(new PageRequest(Batch, false, after is null ? null : Cursors.Decode(after, DocumentReads.CursorKind)), newestFirst: false, ct);
            foreach (var (block, _) in page.Items)
                await csv.WriteLineAsync(Row(block.Id, Text(block.Total), AmountText.Plain(block.Total, TokenCatalog.Io.Decimals), Text((ulong)block.ByDevice.Count)).AsMemory(), ct);
            after = page.HasNextPage && page.Items.Count > 0 ? page.Items[^1].Cursor : null;
        }
        while (after is not null);
    }

    private static StreamWriter Start(HttpContext http, string name)
    {
        http.Response.ContentType = "text/csv; charset=utf-8; header=present";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        return new StreamWriter(http.Response.Body, new UTF8Encoding(false), 16 * 1024) { NewLine = "\r\n" };
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One record: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    public static string Row(params string[] fields) =>
        string.Join(',', fields.Select(f => f.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
}
