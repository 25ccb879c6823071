using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace IoNet.Benchmarks.Explorer;

/// <summary>
/// The explorer benchmark's baseline: a minimal ASP.NET Core app (the same <c>WebApplication.CreateBuilder</c> host as the
/// explorer, its own process) answering the home and device page queries with hand-written Npgsql SQL: one round trip
/// per request (an <see cref="NpgsqlBatch"/>), fields taken out of the JSON in SQL, the answer written straight from the
/// reader with a <see cref="Utf8JsonWriter"/> in exactly the shape of the GraphQL response's <c>data</c> (the benchmark
/// checks that both answer the same before it measures). No cache. Same database, same indexes as the explorer.
/// </summary>
public static class SqlExplorerEndpoint
{
    public const string HomePath = "/sql/home";
    public const string DevicePath = "/sql/device/";

    // Marten's aliases of the event types (mt_events.type), as the Ledger stores them.
    private const string Payouts = "'reward_paid', 'rental_settled'";
    private const string Burns = "'tokens_burned', 'fees_burned', 'stake_slashed'";

    /// <summary>`IoNet.Benchmarks http-explorer-sql URL SCHEMA IO_MINT IOSD_MINT` (IONET_DB names the database): serves until killed.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var (url, schema, io, iosd) = (args[0], args[1], args[2], args[3]);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        await using var db = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("IONET_DB")
            ?? throw new InvalidOperationException("set IONET_DB"));
        var s = $"\"{schema}\"";
        var homeSql = HomeSql(s);
        var deviceSql = DeviceSql(s);
        app.MapGet("/health", () => TypedResults.Ok());
        app.MapGet(HomePath, (HttpContext http) => HomeAsync(http, db, homeSql, io, iosd));
        app.MapGet(DevicePath + "{id}", (HttpContext http, string id) => DeviceAsync(http, db, deviceSql, id));
        await app.RunAsync();
        return 0;
    }

    private static string[] HomeSql(string s) =>
    [
        $"""
        select coalesce(n.data->>'CreditPurchases', '0'), coalesce(n.data->>'IoBurnedForCredits', '0'), coalesce(n.data->>'IosdMintedForCredits', '0'),
               coalesce(n.data->>'FeesBurned', '0'), coalesce(n.data->>'RewardsPaid', '0'), coalesce(n.data->>'RewardPayments', '0'),
               coalesce(n.data->>'Staked', '0'), coalesce(n.data->>'Slashed', '0'),
               (select coalesce(json_agg(json_build_object('mint', m, 'amount', a::text) order by m collate "C"), '[]')::text from (
                  select key as m, sum(value::numeric) as a from (
                    select key, value from jsonb_each_text(n.data->'RentalsSettled')
                    union all select $1, n.data->>'RewardsPaid' where coalesce((n.data->>'RewardsPaid')::numeric, 0) > 0) p group by key) q),
               io.data->>'Minted', io.data->>'Burned', iosd.data->>'Minted', iosd.data->>'Burned',
               (select count(*) from {s}.mt_doc_deviceearnings),
               (select count(*) from {s}.mt_doc_rentalescrow),
               (select count(*) from {s}.mt_doc_rentalescrow where (data->>'Funded')::numeric > (data->>'Settled')::numeric + (data->>'Refunded')::numeric),
               (select count(*) from {s}.mt_doc_rewardblockpayouts),
               (select max(id::numeric)::text from {s}.mt_doc_rewardblockpayouts),
               (select count(*) from {s}.mt_doc_walletsummary),
               (select coalesce(max((data->>'NewestSlot')::numeric), 0)::text from {s}.mt_doc_sourcecheckpoint),
               (select coalesce(max(seq_id), 0) from {s}.mt_events),
               (select coalesce(min(last_seq_id), 0) from {s}.mt_event_progression where name like '%:%')
        from (select 1) as one
        left join {s}.mt_doc_networktotals n on n.id = 'network'
        left join {s}.mt_doc_tokensupply io on io.id = $1
        left join {s}.mt_doc_tokensupply iosd on iosd.id = $2
        """,
        $"""
        select seq_id, stream_id, type, data->>'Slot', (data->>'BlockTime')::bigint, coalesce(data->>'Worker', data->>'Supplier'),
               data->>'Mint', data->>'Amount', data->>'Device', data->>'Block', data->>'Rental'
        from {s}.mt_events where type in ({Payouts})
        order by ((data->>'Slot')::bigint) desc, seq_id desc limit 9
        """,
        $"""
        select seq_id, stream_id, type, data->>'Slot', (data->>'BlockTime')::bigint, data->>'Mint', data->>'Amount',
               data->>'Account', coalesce(data->>'Owner', data->>'Staker'), data->>'Device'
        from {s}.mt_events where type in ({Burns})
        order by ((data->>'Slot')::bigint) desc, seq_id desc limit 9
        """,
    ];

    private static string[] DeviceSql(string s) =>
    [
        $"""
        select id, data->>'Rewards', data->>'Staked', data->>'Slashed',
               (select coalesce(json_agg(json_build_object('key', key, 'amount', value) order by key::numeric), '[]')::text
                from jsonb_each_text(data->'RewardsByBlock'))
        from {s}.mt_doc_deviceearnings where id = $1
        """,
        $"""
        select seq_id, stream_id, data->>'Slot', (data->>'BlockTime')::bigint, data->>'Worker', data->>'Mint', data->>'Amount', data->>'Block'
        from {s}.mt_events where type = 'reward_paid' and (data->>'Device') = $1
        order by ((data->>'Slot')::bigint) desc, seq_id desc limit 21
        """,
    ];

    private static async Task HomeAsync(HttpContext http, NpgsqlDataSource db, string[] sql, string io, string iosd)
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        await using var batch = new NpgsqlBatch(connection);
        var network = new NpgsqlBatchCommand(sql[0]);
        network.Parameters.Add(new NpgsqlParameter<string>{ TypedValue = io });
        network.Parameters.Add(new NpgsqlParameter<string>{ TypedValue = iosd });
        batch.BatchCommands.Add(network);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql[1]));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql[2]));
        await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);

        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartObject("data");

        await reader.ReadAsync(http.RequestAborted);
        json.WriteStartObject("network");
        Supply(json, "io", io, reader, 9);
        Supply(json, "iosd", iosd, reader, 11);
        json.WriteString("creditPurchases", reader.GetString(0));
        json.WriteString("ioBurnedForCredits", reader.GetString(1));
        json.WriteString("iosdMintedForCredits", reader.GetString(2));
        json.WriteString("feesBurned", reader.GetString(3));
        json.WriteString("rewardsPaid", reader.GetString(4));
        json.WriteString("rewardPayments", reader.GetString(5));
        json.WriteString("staked", reader.GetString(6));
        json.WriteString("slashed", reader.GetString(7));
        json.WritePropertyName("paidToSuppliers");
        json.WriteRawValue(reader.GetString(8), skipInputValidation: true);
        json.WriteNumber("devices", reader.GetInt64(13));
        json.WriteNumber("clusters", reader.GetInt64(14));
        json.WriteNumber("openClusters", reader.GetInt64(15));
        json.WriteNumber("rewardBlocks", reader.GetInt64(16));
        if (reader.IsDBNull(17))
            json.WriteNull("latestRewardBlock");
        else
            json.WriteString("latestRewardBlock", reader.GetString(17));
        json.WriteNumber("wallets", reader.GetInt64(18));
        // Fields with no data source yet, as the explorer answers them.
        json.WriteStartArray("devicesByStatus");
        json.WriteEndArray();
        json.WriteStartArray("gpusByModel");
        json.WriteEndArray();
        json.WriteNull("verifiedSuppliers");
        json.WriteStartArray("marketPrices");
        json.WriteEndArray();
        json.WriteStartObject("chain");
        json.WriteString("indexedSlot", reader.GetString(19));
        json.WriteNumber("storedEvents", reader.GetInt64(20));
        json.WriteNumber("projectedEvents", reader.GetInt64(21));
        json.WriteEndObject();
        json.WriteEndObject();

        await reader.NextResultAsync(http.RequestAborted);
        await PageAsync(json, "payouts", reader, 8, 3, r =>
        {
            json.WriteString("kind", r.GetString(2) == "reward_paid" ? "REWARD" : "RENTAL_SETTLEMENT");
            json.WriteString("signature", r.GetString(1));
            json.WriteString("slot", r.GetString(3));
            WriteLong(json, "blockTime", r, 4);
            json.WriteString("recipient", r.GetString(5));
            json.WriteString("mint", r.GetString(6));
            json.WriteString("amount", r.GetString(7));
            WriteText(json, "deviceId", r, 8);
            WriteText(json, "rewardBlockNumber", r, 9);
            WriteText(json, "clusterId", r, 10);
        }, http.RequestAborted);

        await reader.NextResultAsync(http.RequestAborted);
        await PageAsync(json, "burns", reader, 8, 3, r =>
        {
            var type = r.GetString(2);
            json.WriteString("reason", type == "fees_burned" ? "FEE" : type == "stake_slashed" ? "SLASH" : "BURN");
            json.WriteString("signature", r.GetString(1));
            json.WriteString("slot", r.GetString(3));
            WriteLong(json, "blockTime", r, 4);
            json.WriteString("mint", r.GetString(5));
            json.WriteString("amount", r.GetString(6));
            WriteText(json, "account", r, 7);
            WriteText(json, "owner", r, 8);
            WriteText(json, "deviceId", r, 9);
        }, http.RequestAborted);

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    private static async Task DeviceAsync(HttpContext http, NpgsqlDataSource db, string[] sql, string id)
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var text in sql)
        {
            var command = new NpgsqlBatchCommand(text);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);

        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartObject("data");
        if (await reader.ReadAsync(http.RequestAborted))
        {
            json.WriteStartObject("device");
            json.WriteString("id", reader.GetString(0));
            json.WriteNull("status");
            json.WriteNull("location");
            json.WriteNull("connectivity");
            json.WriteNull("uptime30d");
            json.WriteStartArray("anomalyFlags");
            json.WriteEndArray();
            json.WriteStartObject("earnings");
            json.WriteString("rewards", reader.GetString(1));
            json.WriteString("staked", reader.GetString(2));
            json.WriteString("slashed", reader.GetString(3));
            json.WritePropertyName("rewardsByBlock");
            json.WriteRawValue(reader.GetString(4), skipInputValidation: true);
            json.WriteEndObject();
            json.WriteStartArray("rentals");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("device");
        }

        await reader.NextResultAsync(http.RequestAborted);
        await PageAsync(json, "payouts", reader, 20, 2, r =>
        {
            json.WriteString("kind", "REWARD");
            json.WriteString("signature", r.GetString(1));
            json.WriteString("slot", r.GetString(2));
            WriteLong(json, "blockTime", r, 3);
            json.WriteString("recipient", r.GetString(4));
            json.WriteString("mint", r.GetString(5));
            json.WriteString("amount", r.GetString(6));
            json.WriteString("deviceId", id);
            json.WriteString("rewardBlockNumber", r.GetString(7));
        }, http.RequestAborted, hasPreviousPage: true);

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    /// <summary>
    /// A first page of a Relay connection, newest first: rows are (seq_id, signature, …) with the slot as text in
    /// <paramref name="slotColumn"/>; one row past <paramref name="size"/> means a next page. Cursors as the explorer's:
    /// base64url of "ev:slot:seq_id".
    /// </summary>
    private static async Task PageAsync(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int size, int slotColumn,
        Action<NpgsqlDataReader> node, CancellationToken ct, bool hasPreviousPage = false)
    {
        json.WriteStartObject(name);
        json.WriteStartArray("edges");
        string? endCursor = null;
        var rows = 0;
        var more = false;
        while (await reader.ReadAsync(ct))
        {
            if (++rows > size)
            {
                more = true;
                break;
            }
            endCursor = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"ev:{reader.GetString(slotColumn)}:{reader.GetInt64(0)}"));
            json.WriteStartObject();
            json.WriteString("cursor", endCursor);
            json.WriteStartObject("node");
            node(reader);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("pageInfo");
        json.WriteBoolean("hasNextPage", more);
        if (hasPreviousPage)
            json.WriteBoolean("hasPreviousPage", false);
        if (endCursor is null)
            json.WriteNull("endCursor");
        else
            json.WriteString("endCursor", endCursor);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Supply(Utf8JsonWriter json, string name, string mint, NpgsqlDataReader reader, int minted)
    {
        if (reader.IsDBNull(minted))
        {
            json.WriteNull(name);
            return;
        }
        var made = ulong.Parse(reader.GetString(minted), System.Globalization.CultureInfo.InvariantCulture);
        var burned = ulong.Parse(reader.GetString(minted + 1), System.Globalization.CultureInfo.InvariantCulture);
        json.WriteStartObject(name);
        json.WriteString("mint", mint);
        json.WriteString("minted", reader.GetString(minted));
        json.WriteString("burned", reader.GetString(minted + 1));
        json.WriteString("supply", checked(made - burned).ToString(System.Globalization.CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
            json.WriteNull(name);
        else
            json.WriteString(name, reader.GetString(ordinal));
    }

    private static void WriteLong(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
            json.WriteNull(name);
        else
            json.WriteNumber(name, reader.GetInt64(ordinal));
    }
}
