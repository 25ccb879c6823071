using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace IoNet.TestSupport;

/// <summary>The websocket half of <see cref="FaultProxy"/>: relays both directions, drops connections and notifications.</summary>
public sealed partial class FaultProxy
{
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
}
