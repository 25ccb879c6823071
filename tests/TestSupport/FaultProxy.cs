using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IoNet.TestSupport;

/// <summary>What a <see cref="FaultProxy"/> can inject.</summary>
public enum FaultKind
{
    /// <summary>HTTP 429 with Retry-After (<see cref="FaultProxy.RetryAfter"/>, whole seconds); not forwarded.</summary>
    TooManyRequests,
    /// <summary>HTTP 500; not forwarded.</summary>
    InternalServerError,
    /// <summary>HTTP 503; not forwarded.</summary>
    ServiceUnavailable,
    /// <summary>Holds the request for <see cref="FaultProxy.HoldFor"/> (longer than the client's timeout), then drops the connection.</summary>
    Timeout,
    /// <summary>Aborts the connection before any response (HttpContext.Abort()).</summary>
    ResetBeforeResponse,
    /// <summary>Forwards, then sends the headers and half of the upstream body (full Content-Length) and aborts.</summary>
    ResetMidBody,
    /// <summary>A lagging node that does not know the <c>until</c> signature: removes <c>until</c> from a getSignaturesForAddress (per batch item).</summary>
    UnknownUntil,
    /// <summary>Answers a getTransaction (per batch item; see <see cref="FaultProxy.Set"/> methods) with -32004 "Block not available for slot N".</summary>
    BlockNotAvailable,
    /// <summary>Answers a getTransaction (per batch item) with -32007 "Slot N was skipped, or missing due to ledger jump to recent snapshot".</summary>
    SlotSkipped,
    /// <summary>Closes a websocket abruptly (no close handshake) instead of relaying an upstream message; see also <see cref="FaultProxy.DropWebsocketAfterMessages"/>.</summary>
    WebsocketDrop,
    /// <summary>Does not relay one upstream websocket notification (e.g. slotNotification); the connection stays.</summary>
    NotificationDrop,
    /// <summary>
    /// A getTransaction answer for a signature given to <see cref="FaultProxy.Corrupt"/> comes back malformed (json: its
    /// first instruction names program index 255; base64: the wire bytes lose their last three bytes).
    /// </summary>
    CorruptTransaction,
}

/// <summary>
/// A real fault-injecting proxy on 127.0.0.1 in front of a Solana node (localnet): JSON-RPC POSTs on
/// <see cref="RpcUrl"/> (port <see cref="Port"/>) and websockets on <see cref="WebsocketUrl"/> (port Port + 1, the
/// same convention as the node, so a client deriving the websocket port from the RPC port finds it; both ports also
/// accept either kind). Faults are set at runtime (thread-safe) per <see cref="FaultKind"/>: a probability and/or a
/// "next N" count, optionally only for some methods. Random choices come from one System.Random with the seed, so a
/// run with the same sequence of requests injects the same faults. <see cref="Injected"/> counts what was injected.
/// It only talks to loopback upstreams.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly string[] DefaultItemMethods = ["getTransaction"];
    private readonly object _gate = new();
    private readonly Dictionary<FaultKind, Rule> _rules = [];
    private readonly long[] _injected = new long[Enum.GetValues<FaultKind>().Length];
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private Random _random;
    private WebApplication? _app;
    private long _forwarded;
    private int _websocketConnections;
    private TimeSpan _retryAfter = TimeSpan.FromSeconds(1);
    private TimeSpan _holdFor = TimeSpan.FromSeconds(5);
    private int? _dropAfter;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _corrupt = new(StringComparer.Ordinal);

    /// <summary>Signatures whose getTransaction answers are corrupted (<see cref="FaultKind.CorruptTransaction"/>).</summary>
    public void Corrupt(string signature) => _corrupt[signature] = true;

    private FaultProxy(Uri upstreamRpc, Uri upstreamWebsocket, int seed)
    {
        UpstreamRpc = upstreamRpc;
        UpstreamWebsocket = upstreamWebsocket;
        _random = new Random(seed);
    }

    public Uri UpstreamRpc { get; }

    public Uri UpstreamWebsocket { get; }

    /// <summary>The RPC port; the websocket port is Port + 1.</summary>
    public int Port { get; private set; }

    public Uri RpcUrl => new($"http://127.0.0.1:{Port}");

    public Uri WebsocketUrl => new($"ws://127.0.0.1:{Port + 1}");

    /// <summary>Retry-After sent with an injected 429 (rounded up to whole seconds). Default 1 s.</summary>
    public TimeSpan RetryAfter { get => Read(() => _retryAfter); set => Write(() => _retryAfter = value); }

    /// <summary>How long an injected <see cref="FaultKind.Timeout"/> holds the request before dropping it. Default 5 s.</summary>
    public TimeSpan HoldFor { get => Read(() => _holdFor); set => Write(() => _holdFor = value); }

    /// <summary>When set, every websocket connection is dropped abruptly after relaying this many upstream messages (counted as <see cref="FaultKind.WebsocketDrop"/>).</summary>
    public int? DropWebsocketAfterMessages { get => Read(() => _dropAfter); set => Write(() => _dropAfter = value); }

    /// <summary>HTTP requests forwarded upstream (a batch counts once).</summary>
    public long ForwardedRequests => Interlocked.Read(ref _forwarded);

    /// <summary>Websocket connections accepted from clients.</summary>
    public int WebsocketConnections => Volatile.Read(ref _websocketConnections);

    /// <summary>Starts a proxy for a node at <paramref name="upstreamRpc"/>; its websocket defaults to the RPC port + 1.</summary>
    public static async Task<FaultProxy> StartAsync(Uri upstreamRpc, Uri? upstreamWebsocket = null, int seed = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstreamRpc);
        upstreamWebsocket ??= new UriBuilder(upstreamRpc) { Scheme = upstreamRpc.Scheme == "https" ? "wss" : "ws", Port = upstreamRpc.Port + 1 }.Uri;
        foreach (var uri in new[] { upstreamRpc, upstreamWebsocket })
        {
            if (!uri.IsLoopback)
                throw new ArgumentException($"The fault proxy only forwards to loopback, not {uri}.");
        }
        var proxy = new FaultProxy(upstreamRpc, upstreamWebsocket, seed);
        Exception? last = null;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var port = LoopbackPorts.FreePair();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o =>
            {
                o.Listen(IPAddress.Loopback, port);
                o.Listen(IPAddress.Loopback, port + 1);
            });
            var app = builder.Build();
            app.UseWebSockets();
            app.Run(proxy.HandleAsync);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Someone took one of the two ports since we looked: pick another pair.
                last = e;
                await app.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            proxy._app = app;
            proxy.Port = port;
            return proxy;
        }
        await proxy.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException("No free pair of loopback ports for the fault proxy.", last);
    }

    /// <summary>
    /// Sets the rule for <paramref name="kind"/> (replacing the previous one): the next <paramref name="next"/> eligible
    /// requests/messages get the fault, after that each with <paramref name="probability"/>. <paramref name="methods"/>
    /// restricts it to these JSON-RPC methods (for HTTP faults: a request containing one of them; for
    /// BlockNotAvailable/SlotSkipped: the items, default getTransaction; for websocket faults: the notification method
    /// of the upstream message, e.g. slotNotification).
    /// </summary>
    public void Set(FaultKind kind, double probability = 0, int next = 0, params string[] methods)
    {
        if (probability is < 0 or > 1 || double.IsNaN(probability))
            throw new ArgumentOutOfRangeException(nameof(probability));
        ArgumentOutOfRangeException.ThrowIfNegative(next);
        lock (_gate)
            _rules[kind] = new Rule(probability, next, methods is { Length: > 0 } ? methods.ToHashSet(StringComparer.Ordinal) : null);
    }

    /// <summary>The next <paramref name="count"/> eligible requests/messages get <paramref name="kind"/> (no probability after).</summary>
    public void Next(FaultKind kind, int count, params string[] methods) => Set(kind, 0, count, methods);

    public void Clear(FaultKind kind)
    {
        lock (_gate)
            _rules.Remove(kind);
    }

    /// <summary>Removes every rule and <see cref="DropWebsocketAfterMessages"/> (counters are kept).</summary>
    public void ClearAll()
    {
        lock (_gate)
        {
            _rules.Clear();
            _dropAfter = null;
        }
    }

    /// <summary>Restarts the random sequence.</summary>
    public void Reseed(int seed)
    {
        lock (_gate)
            _random = new Random(seed);
    }

    /// <summary>How many times <paramref name="kind"/> was injected.</summary>
    public long Injected(FaultKind kind) => Interlocked.Read(ref _injected[(int)kind]);

    public IReadOnlyDictionary<FaultKind, long> InjectedCounts =>
        Enum.GetValues<FaultKind>().ToDictionary(k => k, Injected);

    public void ResetCounters()
    {
        for (var i = 0; i < _injected.Length; i++)
            Interlocked.Exchange(ref _injected[i], 0);
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
            return read();
    }

    private void Write(Action write)
    {
        lock (_gate)
            write();
    }

    /// <summary>Whether <paramref name="kind"/> fires now for a request/message with these methods; counts it when it does.</summary>
    private bool Fires(FaultKind kind, IEnumerable<string> methods, IReadOnlyCollection<string>? defaultMethods = null)
    {
        lock (_gate)
        {
            if (!_rules.TryGetValue(kind, out var rule))
                return false;
            var filter = (IReadOnlyCollection<string>?)rule.Methods ?? defaultMethods;
            if (filter is not null && !methods.Any(filter.Contains))
                return false;
            bool fire;
            if (rule.Next > 0)
            {
                rule.Next--;
                fire = true;
            }
            else
            {
                fire = rule.Probability > 0 && _random.NextDouble() < rule.Probability;
            }
            if (!fire)
                return false;
        }
        Interlocked.Increment(ref _injected[(int)kind]);
        return true;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await ProxyWebsocketAsync(context).ConfigureAwait(false);
            return;
        }
        var aborted = context.RequestAborted;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, aborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        JsonNode? request;
        try
        {
            request = body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            request = null; // not JSON: forward untouched, the node answers it
        }
        var items = request switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => [],
        };
        var methods = items.Select(i => i["method"]?.GetValueKind() == JsonValueKind.String ? i["method"]!.GetValue<string>() : "").ToList();

        if (Fires(FaultKind.TooManyRequests, methods))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = Math.Ceiling(RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await WriteJsonAsync(context, """{"jsonrpc":"2.0","error":{"code":429,"message":"Too many requests (injected)"},"id":null}""").ConfigureAwait(false);
            return;
        }
        foreach (var (kind, status) in new[] { (FaultKind.InternalServerError, 500), (FaultKind.ServiceUnavailable, 503) })
        {
            if (Fires(kind, methods))
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsync($"injected HTTP {status}", aborted).ConfigureAwait(false);
                return;
            }
        }
        if (Fires(FaultKind.Timeout, methods))
        {
            using var hold = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stop.Token);
            try
            {
                await Task.Delay(HoldFor, hold.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the client gave up first, as intended (or the proxy is stopping)
            }
            context.Abort();
            return;
        }
        if (Fires(FaultKind.ResetBeforeResponse, methods))
        {
            context.Abort();
            return;
        }
        var resetMidBody = Fires(FaultKind.ResetMidBody, methods);

        // Per item: a lagging node that forgets `until`, and getTransaction answered with "not available / skipped".
        var rewritten = false;
        foreach (var item in items)
        {
            if (Method(item) == "getSignaturesForAddress" && item["params"] is JsonArray { Count: >= 2 } p && p[1] is JsonObject config
                && config.ContainsKey("until") && Fires(FaultKind.UnknownUntil, ["getSignaturesForAddress"]))
            {
                config.Remove("until");
                rewritten = true;
            }
        }
        var replaced = new Dictionary<JsonObject, (int Code, string Format)>(ReferenceEqualityComparer.Instance);
        foreach (var item in items)
        {
            var method = Method(item);
            if (Fires(FaultKind.BlockNotAvailable, [method], DefaultItemMethods))
                replaced[item] = (-32004, "Block not available for slot {0}");
            else if (Fires(FaultKind.SlotSkipped, [method], DefaultItemMethods))
                replaced[item] = (-32007, "Slot {0} was skipped, or missing due to ledger jump to recent snapshot");
        }

        using var upstreamRequest = new HttpRequestMessage(HttpMethod.Post, UpstreamRpc)
        {
            Content = new ByteArrayContent(rewritten ? Encoding.UTF8.GetBytes(request!.ToJsonString()) : body),
        };
        upstreamRequest.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        HttpResponseMessage upstreamResponse;
        byte[] answer;
        try
        {
            // Items answered with an injected error are still forwarded so the message can name the real slot.
            upstreamResponse = await _upstream.SendAsync(upstreamRequest, aborted).ConfigureAwait(false);
            answer = await upstreamResponse.Content.ReadAsByteArrayAsync(aborted).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        Interlocked.Increment(ref _forwarded);
        using (upstreamResponse)
        {
            if (replaced.Count > 0 && upstreamResponse.IsSuccessStatusCode)
                answer = Replace(request!, answer, replaced);
            if (!_corrupt.IsEmpty && upstreamResponse.IsSuccessStatusCode)
                answer = CorruptAnswers(request, items, answer);
            context.Response.StatusCode = (int)upstreamResponse.StatusCode;
            context.Response.ContentType = "application/json";
            if (upstreamResponse.Headers.RetryAfter is { } retryAfter)
                context.Response.Headers.RetryAfter = retryAfter.ToString();
            if (resetMidBody)
            {
                context.Response.ContentLength = answer.Length;
                try
                {
                    await context.Response.Body.WriteAsync(answer.AsMemory(0, answer.Length / 2), aborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    await Task.Delay(50, aborted).ConfigureAwait(false); // let the half body reach the client first
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // the client went away on its own
                }
                context.Abort();
                return;
            }
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, aborted).ConfigureAwait(false);
        }
    }

    private static string Method(JsonObject item) =>
        item["method"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>Replaces the answers to the chosen items (matched by id) with the injected JSON-RPC errors.</summary>
    private static byte[] Replace(JsonNode request, byte[] answer, Dictionary<JsonObject, (int Code, string Format)> replaced) =>
        Rewrite(request, answer, replaced.Keys, (item, envelope) =>
        {
            var (code, format) = replaced[item];
            var slot = SlotOf(item, envelope);
            envelope.Remove("result");
            envelope.Remove("error");
            envelope["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = string.Format(CultureInfo.InvariantCulture, format, slot),
            };
        });

    /// <summary>Makes the answers to getTransaction items for <see cref="Corrupt"/> malformed.</summary>
    private byte[] CorruptAnswers(JsonNode? request, IReadOnlyList<JsonObject> items, byte[] answer)
    {
        var targets = items.Where(i => Method(i) == "getTransaction" && i["params"] is JsonArray { Count: > 0 } p
            && p[0] is JsonValue v && v.TryGetValue<string>(out var sig) && _corrupt.ContainsKey(sig)).ToList();
        if (targets.Count == 0)
            return answer;
        return Rewrite(request, answer, targets, (_, envelope) =>
        {
            if (envelope["result"] is not JsonObject result)
                return;
            if (result["transaction"] is JsonArray { Count: 2 } encoded && encoded[0] is JsonValue text && text.TryGetValue<string>(out var base64))
            {
                // Wire bytes (base64 / base58 encodings): cut off the last instruction's tail.
                var bytes = Convert.FromBase64String(base64);
                encoded[0] = Convert.ToBase64String(bytes.AsSpan(0, bytes.Length - 3));
                Interlocked.Increment(ref _injected[(int)FaultKind.CorruptTransaction]);
            }
            else if (result["transaction"]?["message"]?["instructions"] is JsonArray { Count: > 0 } instructions && instructions[0] is JsonObject first)
            {
                first["programIdIndex"] = 255;
                Interlocked.Increment(ref _injected[(int)FaultKind.CorruptTransaction]);
            }
        });
    }

    /// <summary>
    /// Applies <paramref name="rewrite"/> to the response envelope of each of <paramref name="items"/> (matched by id in
    /// a batch; the only one for a single request) and returns the rewritten answer; an answer that is not JSON as is.
    /// </summary>
    private static byte[] Rewrite(JsonNode? request, byte[] answer, IEnumerable<JsonObject> items, Action<JsonObject, JsonObject> rewrite)
    {
        JsonNode? response;
        try
        {
            response = JsonNode.Parse(answer);
        }
        catch (JsonException)
        {
            return answer;
        }
        var envelopes = response switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => [],
        };
        foreach (var item in items)
        {
            var id = item["id"]?.ToJsonString();
            var envelope = request is JsonObject ? envelopes.FirstOrDefault() : envelopes.FirstOrDefault(e => e["id"]?.ToJsonString() == id);
            if (envelope is not null)
                rewrite(item, envelope);
        }
        return Encoding.UTF8.GetBytes(response!.ToJsonString());
    }

    /// <summary>The slot the item is about: the result's slot (getTransaction) or the first parameter (getBlock).</summary>
    private static ulong SlotOf(JsonObject item, JsonObject envelope)
    {
        if (envelope["result"] is JsonObject result && result["slot"] is JsonValue s && s.TryGetValue<ulong>(out var slot))
            return slot;
        if (item["params"] is JsonArray { Count: > 0 } p && p[0] is JsonValue first && first.TryGetValue<ulong>(out var asked))
            return asked;
        return 0;
    }

    private static async Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ProxyWebsocketAsync(HttpContext context)
    {
        using var upstream = new ClientWebSocket();
        upstream.Options.Proxy = null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        var token = linked.Token;
        try
        {
            await upstream.ConnectAsync(UpstreamWebsocket, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        using var client = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _websocketConnections);
        var toUpstream = PumpAsync(client, upstream, null, token);
        var toClient = PumpAsync(upstream, client, context, token);
        await Task.WhenAny(toUpstream, toClient).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        upstream.Abort();
        try
        {
            await Task.WhenAll(toUpstream, toClient).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // one side is gone
        }
    }

    /// <summary>Relays messages; <paramref name="injectInto"/> is set on the upstream-to-client direction, where faults apply.</summary>
    private async Task PumpAsync(WebSocket from, WebSocket to, HttpContext? injectInto, CancellationToken token)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        var relayed = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await from.ReceiveAsync(buffer.GetMemory(8 * 1024), token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (to.State == WebSocketState.Open)
                            await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, token).ConfigureAwait(false);
                        return;
                    }
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage);
                if (injectInto is not null)
                {
                    var method = NotificationMethod(buffer.WrittenSpan);
                    string[] methods = method is null ? [] : [method];
                    if (DropWebsocketAfterMessages is { } limit && relayed >= limit)
                    {
                        Interlocked.Increment(ref _injected[(int)FaultKind.WebsocketDrop]);
                        injectInto.Abort();
                        return;
                    }
                    if (Fires(FaultKind.WebsocketDrop, methods))
                    {
                        injectInto.Abort();
                        return;
                    }
                    if (method is not null && Fires(FaultKind.NotificationDrop, methods))
                        continue;
                    relayed++;
                }
                await to.SendAsync(buffer.WrittenMemory, result.MessageType, true, token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // dropped by either side (or by us)
        }
    }

    /// <summary>"slotNotification" etc. for a notification (no id, a method), else null.</summary>
    private static string? NotificationMethod(ReadOnlySpan<byte> message)
    {
        try
        {
            var reader = new Utf8JsonReader(message);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }


    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        _upstream.Dispose();
        _stop.Dispose();
    }

    private sealed class Rule(double probability, int next, HashSet<string>? methods)
    {
        public double Probability { get; } = probability;

        public int Next { get; set; } = next;

        public HashSet<string>? Methods { get; } = methods;
    }
}
