using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using GraphQL;

namespace IoNet.Explorer.Http;

/// <summary>
/// The graphql-transport-ws protocol (the graphql-ws library's): connection_init → connection_ack, ping/pong,
/// subscribe → next… complete, error for a refused operation, complete from the client to stop. Protocol violations
/// close the socket with the protocol's codes (4400 bad message, 4401 subscribe before ack, 4408 no init in time,
/// 4409 duplicate id, 4429 a second init).
/// </summary>
public sealed class GraphQLWebSocketHandler(GraphQLRunner runner, IGraphQLTextSerializer serializer, ILogger<GraphQLWebSocketHandler> logger)
{
    public const string Protocol = "graphql-transport-ws";
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);
    private const int MaxMessageBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(Protocol))
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsync($"WebSocket subprotocol '{Protocol}' required.", http.RequestAborted).ConfigureAwait(false);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync(Protocol).ConfigureAwait(false);
        await using var connection = new Connection(socket, runner, serializer, http.RequestServices, logger, http.RequestAborted);
        await connection.RunAsync().ConfigureAwait(false);
    }

    private sealed class Connection(WebSocket socket, GraphQLRunner runner, IGraphQLTextSerializer serializer, IServiceProvider services,
        ILogger logger, CancellationToken aborted) : IAsyncDisposable
    {
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly ConcurrentDictionary<string, IDisposable> _operations = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        private bool _initReceived;
        private bool _acknowledged;

        public async Task RunAsync()
        {
            var ct = _closing.Token;
            _ = CloseIfNoInitAsync(ct);
            try
            {
                while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
                {
                    var message = await ReceiveAsync(ct).ConfigureAwait(false);
                    if (message is null)
                        break;
                    await OnMessageAsync(message, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
        }

        private async Task CloseIfNoInitAsync(CancellationToken ct)
        {
            try
            {
                await Task.Delay(InitTimeout, ct).ConfigureAwait(false);
                if (!_initReceived)
                    await CloseAsync(4408, "Connection initialisation timeout").ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task<string?> ReceiveAsync(CancellationToken ct)
        {
            var buffer = new byte[8 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                    return null;
                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessageBytes)
                {
                    await CloseAsync(4400, "Message too large").ConfigureAwait(false);
                    return null;
                }
                if (result.EndOfMessage)
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }

        private async Task OnMessageAsync(string text, CancellationToken ct)
        {
            string? type, id;
            JsonElement payload;
            try
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                payload = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out var p) ? p.Clone() : default;
            }
            catch (JsonException)
            {
                await CloseAsync(4400, "Invalid message received").ConfigureAwait(false);
                return;
            }
            switch (type)
            {
                case "connection_init":
                    if (_initReceived)
                    {
                        await CloseAsync(4429, "Too many initialisation requests").ConfigureAwait(false);
                        return;
                    }
                    _initReceived = true;
                    _acknowledged = true;
                    await SendAsync(new { type = "connection_ack" }).ConfigureAwait(false);
                    break;
                case "ping":
                    await SendAsync(new { type = "pong" }).ConfigureAwait(false);
                    break;
                case "pong":
                    break;
                case "subscribe" when id is { Length: > 0 } && payload.ValueKind == JsonValueKind.Object:
                    if (!_acknowledged)
                    {
                        await CloseAsync(4401, "Unauthorized").ConfigureAwait(false);
                        return;
                    }
                    if (_operations.ContainsKey(id))
                    {
                        await CloseAsync(4409, $"Subscriber for {id} already exists").ConfigureAwait(false);
                        return;
                    }
                    GraphQLCall call;
                    try
                    {
                        call = Call(payload);
                    }
                    catch (Exception e) when (e is JsonException or InvalidOperationException)
                    {
                        await CloseAsync(4400, "Invalid subscribe payload").ConfigureAwait(false);
                        return;
                    }
                    _operations[id] = Placeholder.Instance;
                    await StartAsync(id, call, ct).ConfigureAwait(false);
                    break;
                case "complete" when id is not null:
                    if (_operations.TryRemove(id, out var running))
                        running.Dispose();
                    break;
                default:
                    await CloseAsync(4400, type is null ? "Invalid message received" : $"Unexpected message '{type}'").ConfigureAwait(false);
                    break;
            }
        }

        private GraphQLCall Call(JsonElement payload)
        {
            string? Str(string name) => payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()
                : !payload.TryGetProperty(name, out v) || v.ValueKind == JsonValueKind.Null ? null : throw new InvalidOperationException(name);
            Inputs? Obj(string name) => payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? serializer.Deserialize<Inputs>(v.GetRawText())
                : !payload.TryGetProperty(name, out v) || v.ValueKind == JsonValueKind.Null ? null : throw new InvalidOperationException(name);
            return new GraphQLCall(Str("query"), Obj("variables"), Str("operationName"), Obj("extensions"), Str("documentId"));
        }

        private async Task StartAsync(string id, GraphQLCall call, CancellationToken ct)
        {
            var outcome = await runner.RunAsync(call, Transport.WebSocket, services, ct).ConfigureAwait(false);
            if (outcome.IsRequestError || outcome.Result.Streams is null)
            {
                if (outcome.IsRequestError)
                    await SendAsync(new { id, type = "error", payload = Errors(outcome.Result) }).ConfigureAwait(false);
                else
                {
                    await SendRawAsync(id, "next", outcome.Result).ConfigureAwait(false);
                    await SendAsync(new { id, type = "complete" }).ConfigureAwait(false);
                }
                _operations.TryRemove(id, out _);
                return;
            }
            // One root field per subscription operation (the spec's rule), so one stream.
            var stream = outcome.Result.Streams.Values.Single();
            var subscription = stream.Subscribe(new Observer(this, id));
            if (!_operations.TryUpdate(id, subscription, Placeholder.Instance))
                subscription.Dispose(); // completed by the client meanwhile
        }

        private object[] Errors(ExecutionResult result)
        {
            using var json = JsonDocument.Parse(serializer.Serialize(result));
            return json.RootElement.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateArray().Select(e => (object)e.Clone())] : [];
        }

        private async Task SendRawAsync(string id, string type, ExecutionResult result)
        {
            var payload = serializer.Serialize(result);
            var text = $"{{\"id\":{JsonSerializer.Serialize(id)},\"type\":\"{type}\",\"payload\":{payload}}}";
            await SendTextAsync(text).ConfigureAwait(false);
        }

        private Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

        private async Task SendTextAsync(string text)
        {
            await _send.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (socket.State == WebSocketState.Open)
                    await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                logger.LogDebug("websocket send failed: {Message}", e.Message);
            }
            finally
            {
                _send.Release();
            }
        }

        private async Task CloseAsync(int code, string reason)
        {
            await _send.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await socket.CloseAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
            }
            finally
            {
                _send.Release();
                await _closing.CancelAsync().ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var operation in _operations.Values)
                operation.Dispose();
            _operations.Clear();
            await _closing.CancelAsync().ConfigureAwait(false);
            _closing.Dispose();
        }

        private sealed class Observer(Connection connection, string id) : IObserver<ExecutionResult>
        {
            public void OnNext(ExecutionResult value) => connection.SendRawAsync(id, "next", value).GetAwaiter().GetResult();

            public void OnError(Exception error) => _ = connection.SendAsync(new { id, type = "error", payload = new[] { new { message = error.Message } } });

            public void OnCompleted()
            {
                if (connection._operations.TryRemove(id, out _))
                    _ = connection.SendAsync(new { id, type = "complete" });
            }
        }

        private sealed class Placeholder : IDisposable
        {
            public static readonly Placeholder Instance = new();

            public void Dispose()
            {
            }
        }
    }
}
