using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IoNet.Benchmarks.Http;

namespace IoNet.Benchmarks.Explorer;

/// <summary>The two pages' queries, as GraphQL documents (what a client of the explorer's API sends).</summary>
public static class ExplorerQueries
{
    /// <summary>
    /// The home page: the persisted home document's <c>network</c> selection (Explorer.GraphQL/Persisted/home.graphql),
    /// plus the latest payouts and burns the page lists (Components/Pages/Home.razor: 8 of each, the table's columns).
    /// </summary>
    public const string Home = """
        query Home {
          network {
            io { mint minted burned supply }
            iosd { mint minted burned supply }
            creditPurchases ioBurnedForCredits iosdMintedForCredits feesBurned
            rewardsPaid rewardPayments staked slashed
            paidToSuppliers { mint amount }
            devices clusters openClusters rewardBlocks latestRewardBlock wallets
            devicesByStatus { key count }
            gpusByModel { key count }
            verifiedSuppliers
            marketPrices { gpuModel bestAsk bestBid lastFill volume24h }
            chain { indexedSlot storedEvents projectedEvents }
          }
          payouts(first: 8) {
            edges { cursor node { kind signature slot blockTime recipient mint amount deviceId rewardBlockNumber clusterId } }
            pageInfo { hasNextPage endCursor }
          }
          burns(first: 8) {
            edges { cursor node { reason signature slot blockTime mint amount account owner deviceId } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    /// <summary>
    /// A device page (Components/Pages/Device.razor): its earnings with rewards per block, its rentals, and the first
    /// page (20) of its payouts with the pager's cursor.
    /// </summary>
    public const string Device = """
        query DevicePage($id: ID!) {
          device(id: $id) {
            id status location connectivity uptime30d anomalyFlags
            earnings { rewards staked slashed rewardsByBlock { key amount } }
            rentals { id }
          }
          payouts(first: 20, filter: { device: $id }) {
            edges { cursor node { kind signature slot blockTime recipient mint amount deviceId rewardBlockNumber } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }
        """;

    public static byte[] Body(string query, string? deviceId) => JsonSerializer.SerializeToUtf8Bytes(deviceId is null
        ? new Dictionary<string, object> { ["query"] = query }
        : new Dictionary<string, object> { ["query"] = query, ["variables"] = new Dictionary<string, string> { ["id"] = deviceId } });
}

/// <summary>POST /graphql with a query (and, for the device page, the next device of the list each request).</summary>
public sealed class GraphQLTarget(string name, string query, string[]? devices) : IHttpLoadTarget
{
    private static readonly MediaTypeWithQualityHeaderValue GraphQLResponse = new("application/graphql-response+json");
    private readonly byte[][] _bodies = devices is null ? [ExplorerQueries.Body(query, null)] : [.. devices.Select(d => ExplorerQueries.Body(query, d))];
    private long _next;

    public string Name => name;

    public Task PrepareAsync(IReadOnlyList<HttpClient> workers, CancellationToken cancellationToken) => Task.CompletedTask;

    public HttpRequestMessage CreateRequest(int worker, long sequence)
    {
        var body = _bodies[(int)(Interlocked.Increment(ref _next) % _bodies.Length)];
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(GraphQLResponse);
        return request;
    }
}

/// <summary>GET of the hand-written SQL endpoint (<see cref="SqlExplorerEndpoint"/>) for the same data.</summary>
public sealed class SqlTarget(string name, string path, string[]? devices) : IHttpLoadTarget
{
    private readonly string[] _paths = devices is null ? [path] : [.. devices.Select(d => path + d)];
    private long _next;

    public string Name => name;

    public Task PrepareAsync(IReadOnlyList<HttpClient> workers, CancellationToken cancellationToken) => Task.CompletedTask;

    public HttpRequestMessage CreateRequest(int worker, long sequence) =>
        new(HttpMethod.Get, _paths[(int)(Interlocked.Increment(ref _next) % _paths.Length)]);
}

/// <summary>Both answers of one page, compared before anything is measured: the baseline must return the same data.</summary>
public static class SameData
{
    public static async Task CheckAsync(Uri explorer, Uri sql, string what, string query, string path, string? deviceId)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        using var content = new ByteArrayContent(ExplorerQueries.Body(query, deviceId));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var graphql = await http.PostAsync(new Uri(explorer, "/graphql"), content);
        var graphqlText = await graphql.Content.ReadAsStringAsync();
        var sqlText = await http.GetStringAsync(new Uri(sql, path + deviceId));
        var a = System.Text.Json.Nodes.JsonNode.Parse(graphqlText)!.AsObject();
        var b = System.Text.Json.Nodes.JsonNode.Parse(sqlText)!.AsObject();
        if (!graphql.IsSuccessStatusCode || a.ContainsKey("errors") || !System.Text.Json.Nodes.JsonNode.DeepEquals(a["data"], b["data"]))
            throw new InvalidOperationException($"{what}: the SQL baseline and GraphQL answer differently:{Environment.NewLine}graphql {Shorten(graphqlText)}{Environment.NewLine}sql     {Shorten(sqlText)}");
    }

    private static string Shorten(string text) => text.Length <= 4000 ? text : text[..4000] + "…";
}
