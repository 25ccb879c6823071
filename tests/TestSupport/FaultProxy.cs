using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace IoNet.TestSupport;

/// <summary>
/// A real fault-injecting proxy on 127.0.0.1 in front of a Solana node (localnet): JSON-RPC POSTs on
/// <see cref="RpcUrl"/> (port <see cref="Port"/>) and websockets on <see cref="WebsocketUrl"/> (port Port + 1, the
/// same convention as the node, so a client deriving the websocket port from the RPC port finds it; both ports also
/// accept either kind). Faults are set at runtime (thread-safe) per <see cref="FaultKind"/>: a probability and/or a
/// "next N" count, optionally only for some methods. Random choices come from one System.Random with the seed, so a
/// run with the same sequence of requests injects the same faults. <see cref="Injected"/> counts what was injected.
/// It only talks to loopback upstreams.
/// </summary>
public sealed partial class FaultProxy : IAsyncDisposable
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
