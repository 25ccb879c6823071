using System.Net.Http.Json;
using System.Text.Json;

namespace IoNet.ExplorerGraphQL.Tests.Support;

/// <summary>Posts GraphQL requests as a program would (application/json, Accept graphql-response+json) and reads the answers.</summary>
public sealed class GraphQLClient(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>The answer's data; fails on any error.</summary>
    public async Task<JsonElement> DataAsync(string query, object? variables = null, CancellationToken ct = default, Action<HttpRequestMessage>? edit = null)
    {
        var (status, body) = await PostAsync(query, variables, ct, edit);
        if (status != 200 || body.TryGetProperty("errors", out _))
            throw new ShouldAssertException($"{status}: {body}\nquery: {query}");
        return body.GetProperty("data");
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string query, object? variables = null, CancellationToken ct = default, Action<HttpRequestMessage>? edit = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        edit?.Invoke(request);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>
    /// Every node of a connection, page by page (<c>$after</c> is the cursor variable; the query selects the connection
    /// at <paramref name="path"/> with pageInfo { hasNextPage endCursor } and edges { cursor node { … } }).
    /// </summary>
    public async Task<List<JsonElement>> WalkAsync(string query, string[] path, Dictionary<string, object?>? variables = null, CancellationToken ct = default)
    {
        var nodes = new List<JsonElement>();
        string? after = null;
        for (var page = 0; page < 10_000; page++)
        {
            var vars = new Dictionary<string, object?>(variables ?? []) { ["after"] = after };
            var connection = await DataAsync(query, vars, ct);
            foreach (var step in path)
                connection = connection.GetProperty(step);
            foreach (var edge in connection.GetProperty("edges").EnumerateArray())
                nodes.Add(edge.GetProperty("node"));
            var info = connection.GetProperty("pageInfo");
            if (!info.GetProperty("hasNextPage").GetBoolean())
                return nodes;
            after = info.GetProperty("endCursor").GetString();
        }
        throw new ShouldAssertException("the connection never ended");
    }
}

public static class Json
{
    public static ulong U64(this JsonElement e, string name) => ulong.Parse(e.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    /// <summary>A list of { key|mint, amount } as a sorted dictionary.</summary>
    public static List<KeyValuePair<string, ulong>> Amounts(this JsonElement e, string name, string key = "key") =>
        [.. e.GetProperty(name).EnumerateArray().Select(x => KeyValuePair.Create(x.Str(key), x.U64("amount"))).OrderBy(p => p.Key, StringComparer.Ordinal)];

    public static List<KeyValuePair<string, ulong>> Sorted(this Dictionary<string, ulong> sums) => [.. sums.OrderBy(p => p.Key, StringComparer.Ordinal)];
}
