using System.Text.Json;
using GraphQL;
using Microsoft.Net.Http.Headers;

namespace IoNet.Explorer.Http;

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP spec): GET for queries (query, variables, operationName, extensions in
/// the query string), POST with an application/json body; answers application/graphql-response+json (or
/// application/json when that is all the client accepts). Request errors (unreadable JSON, syntax, validation, limits)
/// answer 400 with graphql-response+json, 405 for a mutation over GET, 406 for an Accept we cannot serve, 413 for a
/// body over the limit, 415 for a body that is not JSON. A WebSocket upgrade on the same path speaks graphql-transport-ws.
/// </summary>
public static class GraphQLHttpApi
{
    public const string Path = "/graphql";
    public const string GraphQLResponseJson = "application/graphql-response+json";

    public static void MapGraphQL(this WebApplication app)
    {
        app.Map(Path, HandleAsync);
    }

    private static async Task HandleAsync(HttpContext http, GraphQLRunner runner, IGraphQLTextSerializer serializer, ExplorerSettings settings, GraphQLWebSocketHandler webSockets)
    {
        if (http.WebSockets.IsWebSocketRequest)
        {
            await webSockets.HandleAsync(http).ConfigureAwait(false);
            return;
        }
        var request = http.Request;
        var get = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (!get && !HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteAsync(http, serializer, GraphQLResponseJson, GraphQLOutcome.Refused(405, "METHOD_NOT_ALLOWED", "Use GET or POST."));
            return;
        }
        // A person opening /graphql in a browser gets the IDE.
        if (get && request.Query.Count == 0 && AcceptsHtml(request))
        {
            http.Response.Redirect("/graphql/ui/");
            return;
        }
        var mediaType = Negotiate(request);
        if (mediaType is null)
        {
            await WriteAsync(http, serializer, "application/json",
                GraphQLOutcome.Refused(406, "NOT_ACCEPTABLE", $"This endpoint answers {GraphQLResponseJson} or application/json."));
            return;
        }

        GraphQLCall call;
        try
        {
            call = get ? FromQueryString(request.Query, serializer) : await FromBodyAsync(http, serializer, settings.Limits.MaxRequestBytes).ConfigureAwait(false);
        }
        catch (RequestRefused refused)
        {
            await WriteAsync(http, serializer, mediaType, GraphQLOutcome.Refused(refused.Status, refused.Code, refused.Message));
            return;
        }

        var outcome = await runner.RunAsync(call, get ? Transport.HttpGet : Transport.HttpPost, http.RequestServices, http.RequestAborted).ConfigureAwait(false);
        if (outcome.Status == 405)
            http.Response.Headers.Allow = "POST";
        // application/json clients get 200 for GraphQL errors (the spec's legacy rule); graphql-response+json gets 4xx.
        if (mediaType == "application/json" && outcome.Status == 400 && outcome.Result.Executed == false && call.Query is not null)
            outcome = outcome with { Status = 200 };
        await WriteAsync(http, serializer, mediaType, outcome);
    }

    private static async Task WriteAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, GraphQLOutcome outcome)
    {
        http.Response.StatusCode = outcome.Status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        if (HttpMethods.IsHead(http.Request.Method))
            return;
        await serializer.WriteAsync(http.Response.Body, outcome.Result, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>graphql-response+json unless the client accepts only application/json; null when it accepts neither.</summary>
    private static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
            return "application/json";
        string? best = null;
        double quality = -1;
        foreach (var value in accept)
        {
            var q = value.Quality ?? 1;
            if (q <= 0)
                continue;
            string? candidate = value.MediaType.Value switch
            {
                GraphQLResponseJson => GraphQLResponseJson,
                "application/json" => "application/json",
                "application/*" or "*/*" => GraphQLResponseJson,
                _ => null,
            };
            // Equal quality: the more specific graphql-response+json wins.
            if (candidate is not null && (q > quality || (q == quality && candidate == GraphQLResponseJson && value.MediaType.Value == GraphQLResponseJson)))
            {
                best = candidate;
                quality = q;
            }
        }
        return best;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value == "text/html");

    private static GraphQLCall FromQueryString(IQueryCollection query, IGraphQLTextSerializer serializer)
    {
        static string? Single(IQueryCollection q, string key) =>
            q.TryGetValue(key, out var v) ? v.Count == 1 ? v[0] : throw new RequestRefused(400, "BAD_REQUEST", $"'{key}' is given {v.Count} times.") : null;
        var variables = Single(query, "variables") is { Length: > 0 } v ? ParseObject(v, "variables", serializer) : null;
        var extensions = Single(query, "extensions") is { Length: > 0 } x ? ParseObject(x, "extensions", serializer) : null;
        var text = Single(query, "query");
        var documentId = Single(query, "documentId");
        if (text is null && documentId is null && extensions is null)
            throw new RequestRefused(400, "QUERY_MISSING", "The request has no query parameter.");
        return new GraphQLCall(text, variables, Single(query, "operationName") is { Length: > 0 } name ? name : null, extensions, documentId);
    }

    private static async Task<GraphQLCall> FromBodyAsync(HttpContext http, IGraphQLTextSerializer serializer, int maxBytes)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !string.Equals(contentType.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase)))
            throw new RequestRefused(415, "UNSUPPORTED_MEDIA_TYPE", "POST a JSON body with Content-Type: application/json.");
        if (request.ContentLength > maxBytes)
            throw new RequestRefused(413, "PAYLOAD_TOO_LARGE", $"The body has {request.ContentLength} bytes; at most {maxBytes} are allowed.");

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new RequestRefused(413, "PAYLOAD_TOO_LARGE", $"The body is over {maxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new RequestRefused(400, "INVALID_JSON", $"The body is not valid JSON: {e.Message}");
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new RequestRefused(400, "BAD_REQUEST", "The body must be a JSON object.");
            var query = Text(root, "query");
            var documentId = Text(root, "documentId");
            var extensions = ObjectOf(root, "extensions", serializer);
            if (query is null && documentId is null && extensions is null)
                throw new RequestRefused(400, "QUERY_MISSING", "The body has no query.");
            return new GraphQLCall(query, ObjectOf(root, "variables", serializer), Text(root, "operationName"), extensions, documentId);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new RequestRefused(400, "BAD_REQUEST", $"'{name}' must be a string.");

    private static Inputs? ObjectOf(JsonElement root, string name, IGraphQLTextSerializer serializer) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Object ? serializer.Deserialize<Inputs>(value.GetRawText())
        : throw new RequestRefused(400, "BAD_REQUEST", $"'{name}' must be an object.");

    private static Inputs ParseObject(string text, string name, IGraphQLTextSerializer serializer)
    {
        try
        {
            using var json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new RequestRefused(400, "BAD_REQUEST", $"'{name}' must be a JSON object.");
            return serializer.Deserialize<Inputs>(text) ?? Inputs.Empty;
        }
        catch (JsonException)
        {
            throw new RequestRefused(400, "INVALID_JSON", $"'{name}' is not valid JSON.");
        }
    }

    private sealed class RequestRefused(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
    }
}
