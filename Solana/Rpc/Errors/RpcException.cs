namespace IoNet.Solana.Rpc;

/// <summary>An RPC call failed: a JSON-RPC error, an HTTP status, a timeout, a broken connection or a bad response.</summary>
public class RpcException : SolanaException
{
    public RpcException(RpcErrorKind kind, string message, int? code = null, string? method = null, string? dataJson = null, Exception? inner = null)
        : base(message, inner!)
    {
        Kind = kind;
        Code = code;
        Method = method;
        DataJson = dataJson;
    }

    public RpcErrorKind Kind { get; }

    /// <summary>The JSON-RPC error code, when the node sent one.</summary>
    public int? Code { get; }

    /// <summary>The RPC method that failed (null for a batch as a whole).</summary>
    public string? Method { get; }

    /// <summary>error.data exactly as sent, if any.</summary>
    public string? DataJson { get; }

    /// <summary>True when trying again later may succeed (429, 5xx, timeouts, resets, -32005, -32016).</summary>
    public virtual bool IsTransient => Kind is RpcErrorKind.RateLimited or RpcErrorKind.Timeout or RpcErrorKind.Transport
        or RpcErrorKind.NodeUnhealthy or RpcErrorKind.MinContextSlotNotReached;
}

/// <summary>-32002: sendTransaction's preflight simulation failed.</summary>
public sealed class RpcPreflightFailureException(string message, string? method, string? dataJson, SimulationResult? simulation)
    : RpcException(RpcErrorKind.PreflightFailure, message, RpcErrorCodes.PreflightFailure, method, dataJson)
{
    public SimulationResult? Simulation { get; } = simulation;

    public TransactionError? Err => Simulation?.Err;

    public IReadOnlyList<string> Logs => Simulation?.Logs ?? [];
}

/// <summary>-32005: the node is unhealthy or behind the cluster.</summary>
public sealed class RpcNodeUnhealthyException(string message, string? method, string? dataJson, ulong? numSlotsBehind)
    : RpcException(RpcErrorKind.NodeUnhealthy, message, RpcErrorCodes.NodeUnhealthy, method, dataJson)
{
    public ulong? NumSlotsBehind { get; } = numSlotsBehind;
}

/// <summary>-32016: the node has not reached the requested minContextSlot.</summary>
public sealed class RpcMinContextSlotNotReachedException(string message, string? method, string? dataJson, ulong? contextSlot)
    : RpcException(RpcErrorKind.MinContextSlotNotReached, message, RpcErrorCodes.MinContextSlotNotReached, method, dataJson)
{
    public ulong? ContextSlot { get; } = contextSlot;
}

/// <summary>A non-success HTTP status (429 included, with its Retry-After).</summary>
public sealed class RpcHttpException(int statusCode, string message, string? method, TimeSpan? retryAfter, string? body)
    : RpcException(statusCode == 429 ? RpcErrorKind.RateLimited : RpcErrorKind.HttpStatus, message, null, method, body)
{
    public int StatusCode { get; } = statusCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public override bool IsTransient => StatusCode is 429 or 408 or >= 500;
}
