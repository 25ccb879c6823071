using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace IoNet.Solana.Rpc;

/// <summary>
/// Solana JSON-RPC over HTTP: typed calls, batches, retries of transient failures with backoff and jitter
/// (Retry-After honoured), a shared client-side rate limit, per-request timeouts and cancellation.
/// Every failure surfaces as an <see cref="RpcException"/>; a caller's own cancellation as OperationCanceledException.
/// </summary>
public sealed partial class SolanaRpcClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri? _endpoint;
    private readonly ResiliencePipeline _pipeline;
    private long _nextId;

    /// <summary>Uses <paramref name="http"/> as given: its BaseAddress (or <paramref name="endpoint"/>) is the RPC URL.</summary>
    public SolanaRpcClient(HttpClient http, SolanaRpcClientOptions? options = null, Uri? endpoint = null)
    {
        _http = http ?? throw new SolanaException("An HttpClient is required.");
        _endpoint = endpoint;
        if (_endpoint is null && http.BaseAddress is null)
            throw new SolanaException("The RPC endpoint is unknown: give the HttpClient a BaseAddress or pass an endpoint.");
        Options = options ?? new SolanaRpcClientOptions();
        if (Options.MaxResponseBytes <= 0)
            throw new SolanaException($"MaxResponseBytes must be positive, not {Options.MaxResponseBytes}.");
        _pipeline = BuildPipeline(Options);
        // The per-attempt timeout is ours; the HttpClient's own must not cut retries short.
    }

    public SolanaRpcClient(Uri endpoint, SolanaRpcClientOptions? options = null)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, options, endpoint) => _ownsHttp = true;

    public SolanaRpcClient(string endpoint, SolanaRpcClientOptions? options = null)
        : this(ParseEndpoint(endpoint), options)
    {
    }

    public SolanaRpcClientOptions Options { get; }

    /// <summary>Sends one call (retried per the options) and returns its typed result.</summary>
    public async Task<T> SendAsync<T>(RpcRequest<T> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await _pipeline.ExecuteAsync(async token =>
        {
            var id = Interlocked.Increment(ref _nextId);
            var body = Serialize(w => request.WriteTo(w, id));
            var response = await PostAsync(body, request.Method, token).ConfigureAwait(false);
            return request.ParseResponse(response);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends all calls of <paramref name="batch"/> in one POST. Transport-level failures (HTTP status, timeout, reset)
    /// are retried and finally thrown for the batch; per-item JSON-RPC errors are kept on the items.
    /// </summary>
    public async Task SendBatchAsync(RpcBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Items.Count == 0)
            return;
        await _pipeline.ExecuteAsync(async token =>
        {
            var firstId = Interlocked.Add(ref _nextId, batch.Items.Count) - batch.Items.Count + 1;
            var body = Serialize(w =>
            {
                w.WriteStartArray();
                for (var i = 0; i < batch.Items.Count; i++)
                    batch.Items[i].Request.WriteTo(w, firstId + i);
                w.WriteEndArray();
            });
            var response = await PostAsync(body, "batch", token).ConfigureAwait(false);
            RpcBatchReader.Distribute(response, batch, firstId);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> PostAsync(byte[] body, string method, CancellationToken cancellationToken)
    {
        if (Options.RateLimiter is { } limiter)
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (!lease.IsAcquired)
                throw new RpcException(RpcErrorKind.RateLimited, $"RPC {method}: the client-side rate limiter refused the request.", method: method);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = JsonContentType;
            using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var bytes = await ReadBodyAsync(response, method, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw HttpFailure(response, bytes, method);
            return bytes;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(RpcErrorKind.Timeout, $"RPC {method} timed out after {Options.RequestTimeout.TotalMilliseconds:0} ms.", method: method, inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new RpcException(RpcErrorKind.Transport, $"RPC {method}: connection failed: {e.Message}", method: method, inner: e);
        }
    }

    /// <summary>The body, read only up to <see cref="SolanaRpcClientOptions.MaxResponseBytes"/>: a declared or actual longer one throws.</summary>
    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string method, CancellationToken cancellationToken)
    {
        var cap = Options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > cap)
            throw TooLarge(method, $"declares {declared} bytes, more than");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var body = new ArrayBufferWriter<byte>((int)Math.Min(Math.Min(cap, response.Content.Headers.ContentLength ?? 16 * 1024), 4 * 1024 * 1024) + 1);
        while (true)
        {
            var read = await stream.ReadAsync(body.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return body.WrittenSpan.ToArray();
            body.Advance(read);
            if (body.WrittenCount > cap)
                throw TooLarge(method, "is longer than");
        }
    }

    private RpcException TooLarge(string method, string how) =>
        new(RpcErrorKind.ResponseTooLarge,
            $"RPC {method}: the node's response {how} the {Options.MaxResponseBytes} bytes this client reads (SolanaRpcClientOptions.MaxResponseBytes).",
            method: method);

    private RpcHttpException HttpFailure(HttpResponseMessage response, byte[] body, string method)
    {
        var status = (int)response.StatusCode;
        var retryAfter = RetryAfterOf(response.Headers.RetryAfter, DateTimeOffset.UtcNow);
        if (retryAfter > Options.MaxRetryAfter)
            retryAfter = Options.MaxRetryAfter;
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512));
        var message = status == (int)HttpStatusCode.TooManyRequests
            ? $"RPC {method} was rate limited by the node (HTTP 429){(retryAfter is { } r ? $", retry after {r.TotalSeconds:0.###} s" : "")}."
            : $"RPC {method} failed with HTTP {status} {response.ReasonPhrase}: {text}";
        return new RpcHttpException(status, message, method, retryAfter, text);
    }

    /// <summary>Retry-After as a delay: delta-seconds or an HTTP-date (relative to <paramref name="now"/>).</summary>
    internal static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private static ResiliencePipeline BuildPipeline(SolanaRpcClientOptions options)
    {
        if (options.MaxRetries <= 0)
            return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.IsTransient),
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Exception is RpcHttpException { RetryAfter: { } after } ? after : (TimeSpan?)null),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is RpcException e)
                    options.OnRetry?.Invoke(e, args.AttemptNumber);
                return default;
            },
        }).Build();
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static Uri ParseEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new SolanaException($"'{endpoint}' is not an http(s) RPC URL.");

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}
