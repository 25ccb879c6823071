using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace IoNet.Solana.Rpc;

/// <summary>
/// Solana websocket subscriptions (slot, logs mentioning an address, one-shot signature) with automatic reconnect
/// (exponential backoff) and resubscribe. After a reconnect it reports the slot gap through <see cref="Gaps"/> and
/// <see cref="GapDetected"/> so a caller can backfill by polling.
/// </summary>
public sealed class SolanaStreamingClient : IAsyncDisposable
{
    private readonly Uri _endpoint;
    private readonly SolanaStreamingClientOptions _options;
    private readonly ConcurrentDictionary<StreamSubscription, byte> _subscriptions = new();
    private readonly ConcurrentDictionary<long, StreamSubscription> _byServerId = new();
    private readonly ConcurrentDictionary<long, StreamSubscription> _pending = new(); // subscribe calls awaiting their reply, by request id
    private readonly Channel<StreamGap> _gaps = Channel.CreateUnbounded<StreamGap>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource<(ClientWebSocket Socket, int Generation)> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _nextId;
    private ulong? _lastSlot;
    private bool _awaitingGap;
    private ulong? _slotBeforeDrop;
    private DateTimeOffset _reconnectedAt;

    public SolanaStreamingClient(Uri endpoint, SolanaStreamingClientOptions? options = null)
    {
        if (endpoint is null || (endpoint.Scheme != "ws" && endpoint.Scheme != "wss"))
            throw new SolanaException($"'{endpoint}' is not a ws(s) RPC URL.");
        _endpoint = endpoint;
        _options = options ?? new SolanaStreamingClientOptions();
        if (_options.MaxMessageBytes <= 0)
            throw new SolanaException($"MaxMessageBytes must be positive, not {_options.MaxMessageBytes}.");
    }

    /// <summary>Raised once per reconnect, at the first slot seen after it.</summary>
    public event EventHandler<StreamGap>? GapDetected;

    /// <summary>Gap reports, one per reconnect (also raised as <see cref="GapDetected"/>).</summary>
    public IAsyncEnumerable<StreamGap> Gaps(CancellationToken cancellationToken = default) => _gaps.Reader.ReadAllAsync(cancellationToken);

    /// <summary>How many times the connection was (re)established.</summary>
    public int Connections { get; private set; }

    /// <summary>The highest slot seen in any notification.</summary>
    public ulong? LastSlot => _lastSlot;

    /// <summary>The last error that ended every subscription (a message past the size cap), if any.</summary>
    public RpcException? LastError { get; private set; }

    public async Task<StreamSubscription<SlotInfo>> SlotSubscribeAsync(CancellationToken cancellationToken = default) =>
        await SubscribeAsync(new StreamSubscription<SlotInfo>(this, "slotSubscribe", "slotUnsubscribe", _ => { },
            SolanaRpcJsonContext.Default.SlotInfo, s => s.Slot), cancellationToken).ConfigureAwait(false);

    /// <summary>Logs of every transaction that mentions <paramref name="address"/>.</summary>
    public async Task<StreamSubscription<RpcResponse<LogsNotification>>> LogsSubscribeAsync(string address, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        await SubscribeAsync(new StreamSubscription<RpcResponse<LogsNotification>>(this, "logsSubscribe", "logsUnsubscribe", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("mentions"u8);
            w.WriteStringValue(address);
            w.WriteEndArray();
            w.WriteEndObject();
            WriteCommitment(w, commitment);
        }, SolanaRpcJsonContext.Default.RpcResponseLogsNotification, n => n.Context.Slot), cancellationToken).ConfigureAwait(false);

    /// <summary>One notification when the signature reaches <paramref name="commitment"/>; the node then ends the subscription.</summary>
    public async Task<StreamSubscription<RpcResponse<SignatureNotification>>> SignatureSubscribeAsync(string signature, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        await SubscribeAsync(new StreamSubscription<RpcResponse<SignatureNotification>>(this, "signatureSubscribe", "signatureUnsubscribe", w =>
        {
            w.WriteStringValue(signature);
            WriteCommitment(w, commitment);
        }, SolanaRpcJsonContext.Default.RpcResponseSignatureNotification, n => n.Context.Slot, oneShot: true), cancellationToken).ConfigureAwait(false);

    private static void WriteCommitment(Utf8JsonWriter w, Commitment? commitment)
    {
        w.WriteStartObject();
        if (commitment is { } c) w.WriteString("commitment"u8, RpcRequests.CommitmentName(c));
        w.WriteEndObject();
    }

    private async Task<StreamSubscription<T>> SubscribeAsync<T>(StreamSubscription<T> subscription, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        _loop ??= Task.Run(RunAsync);
        _subscriptions[subscription] = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            var (socket, generation) = await _connected.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await SendSubscribeAsync(socket, generation, subscription, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!timeout.IsCancellationRequested && e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The connection ended between taking it and sending on it: the connect loop subscribes everything in
                // _subscriptions again on the next connection, this subscription included.
            }
            await subscription.Confirmed.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return subscription;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            _subscriptions.TryRemove(subscription, out _);
            throw new RpcException(RpcErrorKind.Timeout, $"{subscription.Method} was not confirmed within {_options.RequestTimeout.TotalSeconds:0.#} s.", method: subscription.Method, inner: e);
        }
        catch
        {
            _subscriptions.TryRemove(subscription, out _);
            throw;
        }
    }

    private async Task SendSubscribeAsync(ClientWebSocket socket, int generation, StreamSubscription subscription, CancellationToken cancellationToken)
    {
        // The connect loop and a new subscriber may race: subscribe once per connection.
        if (Interlocked.Exchange(ref subscription.SentOnConnection, generation) == generation)
            return;
        var id = Interlocked.Increment(ref _nextId);
        _pending[id] = subscription;
        await SendAsync(socket, w => WriteRequest(w, id, subscription.Method, subscription.WriteParams), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The node's reply to a subscribe call, handled inside the receive loop: the subscription id must be known before
    /// the next message is read, or a notification the node sends right after its reply finds no subscription.
    /// </summary>
    private void OnSubscribeReply(StreamSubscription subscription, JsonElement root)
    {
        if (root.TryGetProperty("result"u8, out var result) && result.ValueKind == JsonValueKind.Number && result.TryGetInt64(out var serverId))
        {
            subscription.ServerId = serverId;
            _byServerId[serverId] = subscription;
            subscription.Confirmed.TrySetResult();
        }
        else if (root.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code"u8, out var code)
            && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var number))
        {
            var message = error.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
            var exception = RpcErrorCodes.ToException(number, message, null, subscription.Method);
            _subscriptions.TryRemove(subscription, out _);
            subscription.Confirmed.TrySetException(exception);
            subscription.Complete(exception);
        }
    }

    /// <summary>Stops a subscription (also what disposing it does).</summary>
    public async Task UnsubscribeAsync(StreamSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!_subscriptions.TryRemove(subscription, out _))
            return;
        subscription.Complete(null);
        if (subscription.ServerId is { } serverId)
        {
            _byServerId.TryRemove(serverId, out _);
            if (_connected.Task is { IsCompletedSuccessfully: true } ready && ready.Result.Socket.State == WebSocketState.Open && !subscription.OneShot)
            {
                try
                {
                    await SendAsync(ready.Result.Socket, w => WriteRequest(w, Interlocked.Increment(ref _nextId), subscription.UnsubscribeMethod, p => p.WriteNumberValue(serverId)), _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The connection is gone: the node forgot the subscription with it.
                }
            }
        }
    }

    private static void WriteRequest(Utf8JsonWriter w, long id, string method, Action<Utf8JsonWriter> writeParams)
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc"u8, "2.0"u8);
        w.WriteNumber("id"u8, id);
        w.WriteString("method"u8, method);
        w.WriteStartArray("params"u8);
        writeParams(w);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private async Task SendAsync(ClientWebSocket socket, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task RunAsync()
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
            try
            {
                await socket.ConnectAsync(_endpoint, _stop.Token).ConfigureAwait(false);
                attempt = 0;
                Connections++;
                if (Connections > 1)
                {
                    _slotBeforeDrop = _lastSlot;
                    _awaitingGap = true;
                    _reconnectedAt = DateTimeOffset.UtcNow;
                }
                _byServerId.Clear();
                var receive = ReceiveLoopAsync(socket);
                var generation = Connections;
                _connected.TrySetResult((socket, generation));
                foreach (var subscription in _subscriptions.Keys)
                    await SendSubscribeAsync(socket, generation, subscription, _stop.Token).ConfigureAwait(false);
                await receive.ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or JsonException or ObjectDisposedException)
            {
                // Dropped or refused: back off, reconnect, resubscribe.
            }
            ConnectionEnded();
            // Replies that never came: the subscriptions are sent again on the next connection.
            _pending.Clear();
            if (_stop.IsCancellationRequested)
                break;
            var delay = TimeSpan.FromMilliseconds(Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds,
                _options.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt++, 16)) * (0.5 + Random.Shared.NextDouble() / 2)));
            try
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Forgets the connection that ended, so that a subscriber from now on waits for the next one instead of sending on
    /// a closed socket (and the size-cap error's subscribers, who subscribe again at once, included).
    /// </summary>
    private void ConnectionEnded()
    {
        var current = _connected;
        if (current.Task.IsCompleted)
            Interlocked.CompareExchange(ref _connected, new TaskCompletionSource<(ClientWebSocket, int)>(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        await Task.Yield();
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (socket.State == WebSocketState.Open)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > _options.MaxMessageBytes)
                {
                    await RefuseTooLargeAsync(socket).ConfigureAwait(false);
                    return;
                }
            }
            while (!result.EndOfMessage);
            Dispatch(buffer.WrittenMemory);
        }
    }

    /// <summary>
    /// A message past <see cref="SolanaStreamingClientOptions.MaxMessageBytes"/>: the connection is closed as "message
    /// too big" and every subscription fails with that error (reading it throws); the client reconnects for new ones.
    /// </summary>
    private async Task RefuseTooLargeAsync(ClientWebSocket socket)
    {
        var error = new RpcException(RpcErrorKind.ResponseTooLarge,
            $"The node sent a websocket message longer than the {_options.MaxMessageBytes} bytes this client reads (SolanaStreamingClientOptions.MaxMessageBytes); the connection was closed.");
        LastError = error;
        ConnectionEnded();
        foreach (var subscription in _subscriptions.Keys)
        {
            if (_subscriptions.TryRemove(subscription, out _))
            {
                if (subscription.ServerId is { } id)
                    _byServerId.TryRemove(id, out _);
                subscription.Confirmed.TrySetException(error);
                subscription.Complete(error);
            }
        }
        try
        {
            using var close = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", close.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing politely is a courtesy; the connection is dropped either way.
        }
        socket.Abort();
    }

    private void Dispatch(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            return; // not JSON: ignore this frame, keep the connection
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return;
            if (root.TryGetProperty("id"u8, out var idElement) && idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var id) && _pending.TryRemove(id, out var subscribing))
            {
                OnSubscribeReply(subscribing, root);
                return;
            }
            if (root.TryGetProperty("params"u8, out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("subscription"u8, out var sub) && sub.ValueKind == JsonValueKind.Number && sub.TryGetInt64(out var serverId)
                && parameters.TryGetProperty("result"u8, out var value)
                && _byServerId.TryGetValue(serverId, out var subscription))
            {
                var slot = subscription.Deliver(value);
                if (subscription.OneShot)
                {
                    _byServerId.TryRemove(serverId, out _);
                    _subscriptions.TryRemove(subscription, out _);
                }
                if (slot is { } s)
                    ObserveSlot(s);
            }
        }
    }

    private void ObserveSlot(ulong slot)
    {
        if (_awaitingGap)
        {
            _awaitingGap = false;
            var gap = new StreamGap(_slotBeforeDrop, slot, _reconnectedAt);
            _gaps.Writer.TryWrite(gap);
            GapDetected?.Invoke(this, gap);
        }
        if (_lastSlot is null || slot > _lastSlot)
            _lastSlot = slot;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_connected.Task is { IsCompletedSuccessfully: true } ready)
            ready.Result.Socket.Abort();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }
        foreach (var subscription in _subscriptions.Keys)
            subscription.Complete(null);
        _gaps.Writer.TryComplete();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
