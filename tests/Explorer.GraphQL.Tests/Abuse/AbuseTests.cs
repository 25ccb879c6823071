using System.Net;
using System.Text;
using System.Text.Json;
using IoNet.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IoNet.ExplorerGraphQL.Tests.Abuse;

/// <summary>
/// Acceptance 2: bad requests (over the limits, huge, malformed, wrongly typed, unknown operations) get a clear
/// GraphQL error with a code and the spec's 4xx status; never a 500, never a hang (every request has a deadline).
/// </summary>
public sealed class AbuseTests(PostgresSchema schema) : IClassFixture<PostgresSchema>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _http = null!;

    public ValueTask InitializeAsync()
    {
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("IONET_DB", schema.ConnectionString).UseSetting("Explorer:Schema", schema.Name));
        _http = _app.CreateClient();
        _http.Timeout = TimeSpan.FromSeconds(30);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("MAX_ALIASES_EXCEEDED")]
    [InlineData("QUERY_TOO_LARGE")]
    [InlineData("PAYLOAD_TOO_LARGE")]
    [InlineData("INVALID_JSON")]
    [InlineData("UNSUPPORTED_MEDIA_TYPE")]
    [InlineData("OPERATION_NOT_FOUND")]
    [InlineData("MAX_FRAGMENTS_EXCEEDED")]
    [InlineData("DEPTH")]
    [InlineData("COMPLEXITY")]
    public async Task each_kind_of_abuse_gets_its_code_and_a_4xx(string kind)
    {
        var (status, body) = await SendAsync(BadRequests.Of(kind));
        status.ShouldBeInRange(400, 499);
        var code = body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;
        // Past the depth limit a document is past the complexity limit too (lists multiply): GraphQL.NET's analyzer may name either.
        if (kind is "DEPTH" or "COMPLEXITY")
            code.ShouldMatch("(?i)DEPTH|COMPLEXITY");
        else
            code.ShouldBe(kind);
    }

    [Fact]
    public async Task a_thousand_generated_bad_requests_all_get_a_4xx_with_an_error_and_none_a_500()
    {
        var random = new Random(20261207);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 1_200; i++)
        {
            var request = BadRequests.Generate(random, i);
            var (status, body) = await SendAsync(request);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status is < 400 or > 499 || !body.TryGetProperty("errors", out var errors) || errors.GetArrayLength() == 0)
                throw new ShouldAssertException($"request {i} ({request.Kind}) answered {status}: {body}");
        }
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        statuses.Keys.ShouldAllBe(s => s >= 400 && s < 500);
    }

    private async Task<(int Status, JsonElement Body)> SendAsync(BadRequest bad)
    {
        using var request = new HttpRequestMessage(bad.Method, bad.Url);
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (bad.Body is not null)
            request.Content = new ByteArrayContent(bad.Body) { Headers = { { "Content-Type", bad.ContentType } } };
        using var response = await _http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldNotBe(HttpStatusCode.InternalServerError, text);
        try
        {
            return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (JsonException)
        {
            throw new ShouldAssertException($"{bad.Kind}: {(int)response.StatusCode} answered no JSON: {text[..Math.Min(200, text.Length)]}");
        }
    }
}

public sealed record BadRequest(string Kind, HttpMethod Method, string Url, byte[]? Body, string ContentType = "application/json");

/// <summary>Generators of bad GraphQL requests.</summary>
public static class BadRequests
{
    private static BadRequest Post(string kind, string json, string contentType = "application/json") =>
        new(kind, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(json), contentType);

    private static BadRequest Query(string kind, string query, string? operationName = null) =>
        Post(kind, JsonSerializer.Serialize(new { query, operationName }));

    public static BadRequest Of(string kind) => kind switch
    {
        "MAX_ALIASES_EXCEEDED" => Query(kind, "{ " + string.Join(" ", Enumerable.Range(0, 100).Select(i => $"a{i}: network {{ devices }}")) + " }"),
        "QUERY_TOO_LARGE" => Query(kind, "{ network { devices } }" + new string(' ', 40_000)),
        "PAYLOAD_TOO_LARGE" => Query(kind, "{ network { devices } }" + new string(' ', 1024 * 1024)),
        "INVALID_JSON" => Post(kind, "{\"query\": \"{ network { devices } }\""),
        "UNSUPPORTED_MEDIA_TYPE" => Post(kind, "query { network { devices } }", "text/plain"),
        "OPERATION_NOT_FOUND" => Query(kind, "query A { network { devices } }", "B"),
        "MAX_FRAGMENTS_EXCEEDED" => Query(kind, NestedFragments(200)),
        "DEPTH" => Query(kind, "{ __schema { types { fields { type " + string.Concat(Enumerable.Repeat("{ ofType ", 14)) + "{ name }" + new string('}', 14) + " } } } }"),
        "COMPLEXITY" => Query(kind, "{ payouts(first: 100) { edges { node { device { recentPayouts { cluster { payouts { rewardBlock { recentPayouts { amount } } } } } } } } } }"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>fragment F0 spreads F1, which spreads F2, …: a chain of <paramref name="n"/> fragments.</summary>
    public static string NestedFragments(int n) =>
        "{ network { ...F0 } } " + string.Join(" ", Enumerable.Range(0, n).Select(i => i < n - 1 ? $"fragment F{i} on Network {{ devices ...F{i + 1} }}" : $"fragment F{i} on Network {{ devices }}"));

    private static readonly string[] Kinds =
    [
        "MAX_ALIASES_EXCEEDED", "QUERY_TOO_LARGE", "INVALID_JSON", "UNSUPPORTED_MEDIA_TYPE", "OPERATION_NOT_FOUND", "MAX_FRAGMENTS_EXCEEDED", "DEPTH", "COMPLEXITY",
    ];

    /// <summary>A random bad request: a known kind with random sizes, or random damage to a good query.</summary>
    public static BadRequest Generate(Random random, int i)
    {
        switch (i % 12)
        {
            case 0:
                return Query("aliases", "{ " + string.Join(" ", Enumerable.Range(0, 31 + random.Next(200)).Select(k => $"x{k}: network {{ devices }}")) + " }");
            case 1:
                return Query("fragments", NestedFragments(51 + random.Next(500)));
            case 2:
            {
                var depth = 13 + random.Next(40);
                return Query("depth", "{ payouts { edges { node { " + string.Concat(Enumerable.Repeat("cluster { payouts { ", depth)) + "amount" + new string('}', depth * 2) + " } } } }");
            }
            case 3:
            {
                // A good query with a random cut or a random byte changed: a syntax error.
                var good = "{ network { devices clusters io { supply } } payouts(first: 3) { edges { cursor } } }";
                var cut = good[..random.Next(1, good.Length - 1)];
                return Query("syntax", random.Next(2) == 0 ? cut : good.Replace('{', "[(!$@"[random.Next(5)]));
            }
            case 4:
                return Post("json", "{\"query\": " + new string('[', random.Next(1, 200)));
            case 5:
                return Post("types", random.Next(3) switch
                {
                    0 => "{\"query\": 42}",
                    1 => "{\"query\": \"{ network { devices } }\", \"variables\": [1]}",
                    _ => "[\"{ network { devices } }\"]",
                });
            case 6:
                return Query("unknown field", $"{{ network {{ nope{random.Next(1000)} }} }}");
            case 7:
                return Query("operation", "query A { network { devices } } query B { network { clusters } }", random.Next(2) == 0 ? null : $"C{random.Next(100)}");
            case 8:
                return Post("media type", "{\"query\": \"{ network { devices } }\"}", random.Next(2) == 0 ? "text/plain" : "application/xml");
            case 9:
                return new BadRequest("mutation over GET", HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("mutation { x }"), null);
            case 10:
                return Query("bad argument", random.Next(3) switch
                {
                    0 => "{ payouts(first: \"many\") { edges { cursor } } }",
                    1 => "{ payouts(orderBy: SIDEWAYS) { edges { cursor } } }",
                    _ => $"{{ rewardBlock(number: \"-{random.Next(100)}\") {{ total }} }}",
                });
            default:
                return Of(Kinds[random.Next(Kinds.Length)]);
        }
    }
}
