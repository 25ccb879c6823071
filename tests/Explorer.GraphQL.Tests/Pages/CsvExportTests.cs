using System.Globalization;
using IoNet.Explorer.Components;
using IoNet.ExplorerGraphQL.Tests.Support;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rewards;
using Marten;

namespace IoNet.ExplorerGraphQL.Tests.Pages;

/// <summary>The CSV exports parse (RFC 4180) and add up to the Ledger's projections, to the base unit.</summary>
[Collection(ExplorerEconomy.Collection)]
public sealed class CsvExportTests(ExplorerEconomy economy)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task payouts_csv_holds_every_payout_and_its_sums_equal_NetworkTotals()
    {
        await economy.CaughtUpAsync(Ct);
        await using var q = economy.Store.QuerySession();
        var totals = (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct))!;

        var (header, rows) = await CsvAsync("/payouts.csv");
        header.ShouldBe(["signature", "slot", "block_time", "kind", "recipient", "mint", "token", "amount_base_units", "amount", "device", "reward_block", "cluster", "path"]);
        var rewards = rows.Where(r => r["kind"] == "reward").ToList();
        ((ulong)rewards.Count).ShouldBe(totals.RewardPayments);
        Sum(rewards).ShouldBe(totals.RewardsPaid);
        rows.Where(r => r["kind"] == "settlement").GroupBy(r => r["mint"]).ToDictionary(g => g.Key, Sum)
            .OrderBy(p => p.Key, StringComparer.Ordinal).ShouldBe(totals.RentalsSettled.OrderBy(p => p.Key, StringComparer.Ordinal));
        // Oldest first, each amount's decimal text exactly its base units.
        rows.Select(r => ulong.Parse(r["slot"], CultureInfo.InvariantCulture)).ShouldBe(rows.Select(r => ulong.Parse(r["slot"], CultureInfo.InvariantCulture)).Order());
        foreach (var row in rows)
        {
            var decimals = row["token"] == "IO" ? 8 : 6;
            row["token"].ShouldBeOneOf("IO", "IOSD", "USDC");
            (decimal.Parse(row["amount"], CultureInfo.InvariantCulture) * AmountText.Pow10(decimals)).ShouldBe(decimal.Parse(row["amount_base_units"], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task filtered_payouts_csv_of_a_device_adds_up_to_its_rewards()
    {
        await economy.CaughtUpAsync(Ct);
        await using var q = economy.Store.QuerySession();
        foreach (var device in (await q.Query<DeviceEarnings>().ToListAsync(Ct)).Where(d => d.Rewards > 0).Take(3))
        {
            var (_, rows) = await CsvAsync($"/payouts.csv?device={device.Id}");
            rows.ShouldAllBe(r => r["device"] == device.Id && r["kind"] == "reward");
            Sum(rows).ShouldBe(device.Rewards, device.Id);
        }
        (await economy.GraphQL.Http.GetAsync("/payouts.csv?kind=bogus", Ct)).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task blocks_csv_holds_every_reward_block_as_RewardBlockPayouts_has_it()
    {
        await economy.CaughtUpAsync(Ct);
        await using var q = economy.Store.QuerySession();
        var blocks = (await q.Query<RewardBlockPayouts>().ToListAsync(Ct)).ToDictionary(b => b.Id);
        var totals = (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, Ct))!;

        var (header, rows) = await CsvAsync("/blocks.csv");
        header.ShouldBe(["number", "total_base_units", "total_io", "devices"]);
        rows.Select(r => r["number"]).ShouldBe(blocks.Keys.OrderBy(k => ulong.Parse(k, CultureInfo.InvariantCulture)));
        foreach (var row in rows)
        {
            var block = blocks[row["number"]];
            (ulong.Parse(row["total_base_units"], CultureInfo.InvariantCulture), int.Parse(row["devices"], CultureInfo.InvariantCulture)).ShouldBe((block.Total, block.ByDevice.Count));
            row["total_io"].ShouldBe(AmountText.Plain(block.Total, 8));
        }
        rows.Aggregate(0UL, (s, r) => checked(s + ulong.Parse(r["total_base_units"], CultureInfo.InvariantCulture))).ShouldBe(totals.RewardsPaid);
    }

    private static ulong Sum(IEnumerable<Dictionary<string, string>> rows) =>
        rows.Aggregate(0UL, (s, r) => checked(s + ulong.Parse(r["amount_base_units"], CultureInfo.InvariantCulture)));

    private async Task<(string[] Header, List<Dictionary<string, string>> Rows)> CsvAsync(string path)
    {
        using var response = await economy.GraphQL.Http.GetAsync(path, Ct);
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var records = Csv.Parse(await response.Content.ReadAsStringAsync(Ct));
        var header = records[0];
        var rows = records.Skip(1).Select(r =>
        {
            r.Length.ShouldBe(header.Length);
            return header.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        }).ToList();
        return (header, rows);
    }
}

/// <summary>An RFC 4180 reader (quoted fields, doubled quotes, CRLF), independent of the writer it checks.</summary>
public static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
                field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }
        return records;
    }
}
