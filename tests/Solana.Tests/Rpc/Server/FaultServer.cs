using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IoNet.Solana.Tests.Rpc.Server;

/// <summary>
/// A real HTTP + websocket JSON-RPC server on 127.0.0.1 that replays canned results (fixtures) and injects faults
/// from a script: 429 + Retry-After, 5xx, hangs, resets, JSON-RPC errors, malformed bodies; websocket
/// subscriptions, notifications and dropped connections.
/// </summary>
internal sealed class FaultServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Fault> _script = new();
    private readonly ConcurrentDictionary<string, Func<JsonElement, string>> _results = new();
    private readonly ConcurrentDictionary<int, WebSocket> _sockets = new();
    private int _nextSocket;
    private int _nextSubscription = 100;

    private FaultServer(WebApplication app) => _app = app;

    public Uri HttpUri { get; private set; } = null!;

    public Uri WsUri { get; private set; } = null!;

    /// <summary>Every HTTP request body with the time it arrived.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Body)> Requests { get; } = new();

    /// <summary>Every subscribe call received over websockets: (method, params JSON, subscription id).</summary>
    public Channel<(string Method, string Params, int Id)> Subscriptions { get; } = Channel.CreateUnbounded<(string, string, int)>();

    public int WebSocketConnections;

    public static async Task<FaultServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FaultServer(app);
        app.UseWebSockets();
        app.Map("/", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.HttpUri = new Uri(address + "/");
        server.WsUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/");
        return server;
    }

    public void Enqueue(params Fault[] faults)
    {
        foreach (var f in faults) _script.Enqueue(f);
    }

    /// <summary>Answers <paramref name="method"/> with this raw JSON result.</summary>
    public void Result(string method, string resultJson) => _results[method] = _ => resultJson;

    public void Result(string method, Func<JsonElement, string> resultForParams) => _results[method] = resultForParams;

    /// <summary>Answers with the "result" of a fixture file (envelope or bare).</summary>
    public void ResultFromFixture(string method, string fixture)
    {
        using var doc = JsonDocument.Parse(Fixtures.Bytes(fixture));
        var json = doc.RootElement.TryGetProperty("result", out var r) ? r.GetRawText() : doc.RootElement.GetRawText();
        Result(method, json);
    }

    public int RequestCount(string method) => Requests.Count(r => r.Body.Contains($"\"method\":\"{method}\"", StringComparison.Ordinal));

    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await HandleWebSocketAsync(context);
            return;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Requests.Enqueue((DateTimeOffset.UtcNow, body));
        if (_script.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case Fault.Status s:
                    context.Response.StatusCode = s.Code;
                    if (s.RetryAfter is not null) context.Response.Headers.RetryAfter = s.RetryAfter;
                    await context.Response.WriteAsync("{\"error\":\"injected\"}", context.RequestAborted);
                    return;
                case Fault.Hang hang:
                    hang.Reached.TrySetResult();
                    try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
                    hang.Abandoned.TrySetResult();
                    return;
                case Fault.Abort:
                    context.Abort();
                    return;
                case Fault.Raw raw:
                    if (raw.DeclareLength)
                        context.Response.ContentLength = Encoding.UTF8.GetByteCount(raw.Body);
                    await WriteJsonAsync(context, raw.Body);
                    return;
                case Fault.Endless:
                    context.Response.ContentType = "application/json";
                    var chunk = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"result\":\"" + new string('x', 64 * 1024));
                    try
                    {
                        while (!context.RequestAborted.IsCancellationRequested)
                            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException)
                    {
                        // The client stopped reading: what it should do.
                    }
                    return;
                case Fault.RpcError e:
                    using (var doc = JsonDocument.Parse(body))
                    {
                        var id = doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.GetProperty("id").GetRawText() : "null";
                        var data = e.DataJson is null ? "" : $",\"data\":{e.DataJson}";
                        await WriteJsonAsync(context, $"{{\"jsonrpc\":\"2.0\",\"error\":{{\"code\":{e.Code},\"message\":{JsonSerializer.Serialize(e.Message)}{data}}},\"id\":{id}}}");
                    }
                    return;
                case Fault.Delay d: // a server that answers late: the behaviour under test, not a wait for something
                    await Task.Delay(d.By, context.RequestAborted);
                    break;
            }
        }
        using var request = JsonDocument.Parse(body);
        var root = request.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            // Reversed on purpose: clients must match batch results by id, not by position.
            var parts = root.EnumerateArray().Reverse().Select(Answer);
            await WriteJsonAsync(context, "[" + string.Join(",", parts) + "]");
        }
        else
        {
            await WriteJsonAsync(context, Answer(root));
        }
    }

    private string Answer(JsonElement call)
    {
        var id = call.GetProperty("id").GetRawText();
        var method = call.GetProperty("method").GetString()!;
        var parameters = call.TryGetProperty("params", out var p) ? p : default;
        return _results.TryGetValue(method, out var result)
            ? $"{{\"jsonrpc\":\"2.0\",\"result\":{result(parameters)},\"id\":{id}}}"
            : $"{{\"jsonrpc\":\"2.0\",\"error\":{{\"code\":-32601,\"message\":\"Method not found\"}},\"id\":{id}}}";
    }

    private static async Task WriteJsonAsync(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private async Task HandleWebSocketAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var key = Interlocked.Increment(ref _nextSocket);
        Interlocked.Increment(ref WebSocketConnections);
        _sockets[key] = socket;
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
                var id = doc.RootElement.GetProperty("id").GetRawText();
                var method = doc.RootElement.GetProperty("method").GetString()!;
                var parameters = doc.RootElement.TryGetProperty("params", out var p) ? p.GetRawText() : "[]";
                string reply;
                if (method.EndsWith("Unsubscribe", StringComparison.Ordinal))
                {
                    reply = $"{{\"jsonrpc\":\"2.0\",\"result\":true,\"id\":{id}}}";
                }
                else
                {
                    var sub = Interlocked.Increment(ref _nextSubscription);
                    reply = $"{{\"jsonrpc\":\"2.0\",\"result\":{sub},\"id\":{id}}}";
                    await SendAsync(socket, reply);
                    await Subscriptions.Writer.WriteAsync((method, parameters, sub));
                    continue;
                }
                await SendAsync(socket, reply);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away or the test dropped it.
        }
        finally
        {
            _sockets.TryRemove(key, out _);
        }
    }

    /// <summary>Pushes a notification to every open websocket.</summary>
    public async Task NotifyAsync(string method, int subscription, string resultJson)
    {
        var message = $"{{\"jsonrpc\":\"2.0\",\"method\":\"{method}\",\"params\":{{\"result\":{resultJson},\"subscription\":{subscription}}}}}";
        foreach (var socket in _sockets.Values)
            await SendAsync(socket, message);
    }

    /// <summary>Pushes a message exactly as given (any shape, JSON or not) to every open websocket.</summary>
    public async Task SendRawAsync(string message)
    {
        foreach (var socket in _sockets.Values)
            await SendAsync(socket, message);
    }

    /// <summary>Kills every websocket connection abruptly.</summary>
    public void DropWebSockets()
    {
        foreach (var socket in _sockets.Values)
            socket.Abort();
    }

    private static async Task SendAsync(WebSocket socket, string message)
    {
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
            // Dropped under us.
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropWebSockets();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
