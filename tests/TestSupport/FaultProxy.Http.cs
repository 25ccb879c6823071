using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IoNet.TestSupport;

/// <summary>The HTTP half of <see cref="FaultProxy"/>: JSON-RPC POSTs, their injected faults and answer edits.</summary>
public sealed partial class FaultProxy
{
    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await ProxyWebsocketAsync(context).ConfigureAwait(false);
            return;
        }
        if (!await AdmitAsync(context).ConfigureAwait(false))
            return;
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
                await Task.Delay(HoldFor, hold.Token).ConfigureAwait(false); // the fault itself: a node that answers too late
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
                    await Task.Delay(50, aborted).ConfigureAwait(false); // a head start for the half body; should the reset win, it is a reset before the body: still a transport error, and no test tells the two apart
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
}
