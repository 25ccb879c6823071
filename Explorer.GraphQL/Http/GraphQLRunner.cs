using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace IoNet.Explorer.Http;

/// <summary>One GraphQL request, as read from HTTP or a WebSocket message.</summary>
public sealed record GraphQLCall(string? Query, Inputs? Variables, string? OperationName, Inputs? Extensions, string? DocumentId);

/// <summary>What came of a call: an executed result, or a request error (no data) with the HTTP status it deserves.</summary>
public sealed record GraphQLOutcome(ExecutionResult Result, int Status)
{
    public bool IsRequestError => Status != StatusCodes.Status200OK;

    public static GraphQLOutcome Refused(int status, string code, string message) =>
        new(new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] }, status);
}

/// <summary>
/// The checks and the execution shared by the HTTP endpoint and the WebSocket protocol: size, syntax, alias/selection/
/// fragment limits and the operation's choice before GraphQL.NET validates (depth, complexity) and executes.
/// </summary>
public sealed class GraphQLRunner(IDocumentExecuter<ISchema> executer, ExplorerSettings settings, PersistedDocuments persisted)
{
    private static readonly GraphQLParser.ParserOptions ParserOptions = new() { MaxDepth = 64, Ignore = GraphQLParser.IgnoreOptions.All };

    /// <summary>How many distinct parsed documents are kept (the home and page queries repeat; a flood of unique ones stops adding).</summary>
    public const int ParsedDocumentsKept = 1_000;

    // Query text → its parsed document and the verdict of the size limits: a repeated query (the home page's, a client's
    // polling) skips the parser. Documents parse to the same AST every time and GraphQL.NET never changes one it executes.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (GraphQLDocument Document, (string Code, string Message)? Broken)> _parsed =
        new(StringComparer.Ordinal);

    /// <summary>Parsed documents kept now (for tests).</summary>
    public int ParsedDocuments => _parsed.Count;

    public async Task<GraphQLOutcome> RunAsync(GraphQLCall call, Transport transport, IServiceProvider services, CancellationToken ct)
    {
        var limits = settings.Limits;
        var text = call.Query;
        if (text is null)
        {
            var id = call.DocumentId ?? PersistedHash(call.Extensions);
            if (id is null)
                return GraphQLOutcome.Refused(400, "QUERY_MISSING", "The request has no query (or documentId).");
            text = persisted.Find(id);
            if (text is null)
                return GraphQLOutcome.Refused(400, "PERSISTED_QUERY_NOT_FOUND", $"No persisted document '{Shorten(id)}'.");
        }
        if (text.Length > limits.MaxQueryLength)
            return GraphQLOutcome.Refused(400, "QUERY_TOO_LARGE", $"The query has {text.Length} characters; at most {limits.MaxQueryLength} are allowed.");

        if (!_parsed.TryGetValue(text, out var parsed))
        {
            try
            {
                var fresh = GraphQLParser.Parser.Parse(text, ParserOptions);
                parsed = (fresh, DocumentLimits.Check(fresh, limits));
            }
            catch (GraphQLMaxDepthExceededException)
            {
                return GraphQLOutcome.Refused(400, "MAX_DEPTH_EXCEEDED", "The query nests too deeply to be parsed.");
            }
            catch (GraphQLSyntaxErrorException e)
            {
                return GraphQLOutcome.Refused(400, "SYNTAX_ERROR", e.Message);
            }
            if (settings.Cache && parsed.Broken is null && _parsed.Count < ParsedDocumentsKept)
                _parsed.TryAdd(text, parsed);
        }
        if (parsed.Broken is { } broken)
            return GraphQLOutcome.Refused(400, broken.Code, broken.Message);
        var document = parsed.Document;

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = call.OperationName is { } name
            ? operations.FirstOrDefault(o => o.Name?.StringValue == name)
            : operations.Count == 1 ? operations[0] : null;
        if (operation is null)
        {
            return call.OperationName is null
                ? GraphQLOutcome.Refused(400, operations.Count == 0 ? "NO_OPERATION" : "OPERATION_NAME_REQUIRED",
                    operations.Count == 0 ? "The document has no operation." : "The document has several operations: say which in operationName.")
                : GraphQLOutcome.Refused(400, "OPERATION_NOT_FOUND", $"The document has no operation named '{Shorten(call.OperationName)}'.");
        }
        if (operation.Operation == OperationType.Mutation && transport == Transport.HttpGet)
            return GraphQLOutcome.Refused(405, "METHOD_NOT_ALLOWED", "Mutations are not allowed over GET (and this schema has none).");
        if (operation.Operation == OperationType.Subscription && transport != Transport.WebSocket)
            return GraphQLOutcome.Refused(400, "SUBSCRIPTION_NEEDS_WEBSOCKET", "Subscriptions are served over WebSocket at /graphql (graphql-transport-ws).");

        var result = await executer.ExecuteAsync(o =>
        {
            o.Query = text;
            o.Document = document;
            o.Variables = call.Variables;
            o.OperationName = call.OperationName;
            o.Extensions = call.Extensions;
            o.RequestServices = services;
            o.CancellationToken = ct;
            o.Timeout = limits.Timeout;
            o.TimeoutAction = GraphQL.Execution.TimeoutAction.ReturnTimeoutError;
        }).ConfigureAwait(false);
        return new GraphQLOutcome(result, result.Executed ? 200 : 400);
    }

    private static string? PersistedHash(Inputs? extensions) =>
        extensions?.TryGetValue("persistedQuery", out var pq) == true && pq is IDictionary<string, object?> d && d.TryGetValue("sha256Hash", out var h) ? h as string : null;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

public enum Transport { HttpGet, HttpPost, WebSocket }
