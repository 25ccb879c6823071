using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace IoNet.Solana.Rpc;

/// <summary>A live subscription; read its notifications with <see cref="ReadAllAsync"/>. Dispose to unsubscribe.</summary>
public abstract class StreamSubscription : IAsyncDisposable
{
    private readonly SolanaStreamingClient _owner;

    private protected StreamSubscription(SolanaStreamingClient owner, string method, string unsubscribeMethod, Action<Utf8JsonWriter> writeParams, bool oneShot)
    {
        _owner = owner;
        Method = method;
        UnsubscribeMethod = unsubscribeMethod;
        WriteParams = writeParams;
        OneShot = oneShot;
    }

    public string Method { get; }

    internal string UnsubscribeMethod { get; }

    internal Action<Utf8JsonWriter> WriteParams { get; }

    internal bool OneShot { get; }

    /// <summary>The node's id for the current connection (changes after a reconnect).</summary>
    public long? ServerId { get; internal set; }

    /// <summary>The connection generation this subscription was last sent on.</summary>
    internal int SentOnConnection;

    internal TaskCompletionSource Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal abstract ulong? Deliver(JsonElement result);

    internal abstract void Complete(Exception? error);

    public ValueTask DisposeAsync() => new(_owner.UnsubscribeAsync(this));
}

public sealed class StreamSubscription<T> : StreamSubscription
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly JsonTypeInfo<T> _type;
    private readonly Func<T, ulong?> _slotOf;

    internal StreamSubscription(SolanaStreamingClient owner, string method, string unsubscribeMethod, Action<Utf8JsonWriter> writeParams,
        JsonTypeInfo<T> type, Func<T, ulong?> slotOf, bool oneShot = false)
        : base(owner, method, unsubscribeMethod, writeParams, oneShot)
    {
        _type = type;
        _slotOf = slotOf;
    }

    /// <summary>Notifications as they arrive; ends when unsubscribed or the client is disposed.</summary>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    public ValueTask<T> ReadAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAsync(cancellationToken);

    internal override ulong? Deliver(JsonElement result)
    {
        T value;
        try
        {
            value = result.Deserialize(_type)!;
        }
        catch (Exception e) when (e is JsonException or SolanaException or InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
        {
            return null; // a notification we cannot read is skipped; polling backfills
        }
        _channel.Writer.TryWrite(value);
        if (OneShot)
            _channel.Writer.TryComplete();
        return _slotOf(value);
    }

    internal override void Complete(Exception? error) => _channel.Writer.TryComplete(error);
}
