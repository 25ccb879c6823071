namespace IoNet.Solana.Rpc;

/// <summary>Several calls sent in one POST; results are matched by id and each item keeps its own error.</summary>
public sealed class RpcBatch
{
    private readonly List<RpcBatchItem> _items = [];

    public IReadOnlyList<RpcBatchItem> Items => _items;

    public RpcBatchItem<T> Add<T>(RpcRequest<T> request)
    {
        var item = new RpcBatchItem<T>(request);
        _items.Add(item);
        return item;
    }
}

public abstract class RpcBatchItem
{
    private protected RpcBatchItem(RpcRequest request) => Request = request;

    public RpcRequest Request { get; }

    /// <summary>This item's own failure (a JSON-RPC error, a malformed result, or no answer for its id).</summary>
    public RpcException? Error { get; internal set; }

    public bool IsCompleted { get; internal set; }

    internal abstract void SetResult(ReadOnlySpan<byte> resultJson);
}

public sealed class RpcBatchItem<T> : RpcBatchItem
{
    private T? _result;

    internal RpcBatchItem(RpcRequest<T> request) : base(request) => TypedRequest = request;

    internal RpcRequest<T> TypedRequest { get; }

    /// <summary>The result, or this item's <see cref="RpcBatchItem.Error"/> thrown.</summary>
    public T Value => Error is { } e ? throw e
        : IsCompleted ? _result! : throw new SolanaException("The batch has not been sent yet.");

    internal override void SetResult(ReadOnlySpan<byte> resultJson)
    {
        try
        {
            _result = TypedRequest.ParseResult(resultJson);
        }
        catch (RpcException e)
        {
            Error = e;
        }
        IsCompleted = true;
    }
}
