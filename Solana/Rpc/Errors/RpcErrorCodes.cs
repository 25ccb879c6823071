using System.Text.Json;

namespace IoNet.Solana.Rpc;

/// <summary>Solana's JSON-RPC server error codes and the mapping to typed exceptions.</summary>
public static class RpcErrorCodes
{
    public const int BlockCleanedUp = -32001;
    public const int PreflightFailure = -32002;
    public const int SignatureVerificationFailure = -32003;
    public const int BlockNotAvailable = -32004;
    public const int NodeUnhealthy = -32005;
    public const int PrecompileVerificationFailure = -32006;
    public const int SlotSkipped = -32007;
    public const int NoSnapshot = -32008;
    public const int LongTermStorageSlotSkipped = -32009;
    public const int KeyExcludedFromSecondaryIndex = -32010;
    public const int TransactionHistoryNotAvailable = -32011;
    public const int TransactionSignatureLengthMismatch = -32013;
    public const int BlockStatusNotAvailableYet = -32014;
    public const int UnsupportedTransactionVersion = -32015;
    public const int MinContextSlotNotReached = -32016;

    public static RpcErrorKind KindOf(int code) => code switch
    {
        BlockCleanedUp => RpcErrorKind.BlockCleanedUp,
        PreflightFailure => RpcErrorKind.PreflightFailure,
        SignatureVerificationFailure => RpcErrorKind.SignatureVerificationFailure,
        BlockNotAvailable => RpcErrorKind.BlockNotAvailable,
        NodeUnhealthy => RpcErrorKind.NodeUnhealthy,
        PrecompileVerificationFailure => RpcErrorKind.PrecompileVerificationFailure,
        SlotSkipped => RpcErrorKind.SlotSkipped,
        NoSnapshot => RpcErrorKind.NoSnapshot,
        LongTermStorageSlotSkipped => RpcErrorKind.LongTermStorageSlotSkipped,
        KeyExcludedFromSecondaryIndex => RpcErrorKind.KeyExcludedFromSecondaryIndex,
        TransactionHistoryNotAvailable => RpcErrorKind.TransactionHistoryNotAvailable,
        TransactionSignatureLengthMismatch => RpcErrorKind.TransactionSignatureLengthMismatch,
        BlockStatusNotAvailableYet => RpcErrorKind.BlockStatusNotAvailableYet,
        UnsupportedTransactionVersion => RpcErrorKind.UnsupportedTransactionVersion,
        MinContextSlotNotReached => RpcErrorKind.MinContextSlotNotReached,
        -32600 or -32601 or -32602 or -32700 => RpcErrorKind.InvalidRequest,
        -32603 => RpcErrorKind.InternalError,
        _ => RpcErrorKind.Other,
    };

    /// <summary>Builds the typed exception for a JSON-RPC error object.</summary>
    internal static RpcException ToException(int code, string message, JsonElement? data, string? method)
    {
        var dataJson = data is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } d ? d.GetRawText() : null;
        var text = $"RPC {method ?? "call"} failed with {code}: {message}";
        switch (code)
        {
            case PreflightFailure:
                SimulationResult? simulation = null;
                if (data is { ValueKind: JsonValueKind.Object } sim)
                {
                    try
                    {
                        simulation = sim.Deserialize(SolanaRpcJsonContext.Default.SimulationResult);
                    }
                    catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
                    {
                        simulation = null; // keep the raw data; the typed view is best effort
                    }
                }
                if (simulation?.Err is { } err)
                    text += $" ({err.Json})";
                return new RpcPreflightFailureException(text, method, dataJson, simulation);
            case NodeUnhealthy:
                return new RpcNodeUnhealthyException(text, method, dataJson, ReadUInt64(data, "numSlotsBehind"));
            case MinContextSlotNotReached:
                return new RpcMinContextSlotNotReachedException(text, method, dataJson, ReadUInt64(data, "contextSlot"));
            default:
                return new RpcException(KindOf(code), text, code, method, dataJson);
        }
    }

    private static ulong? ReadUInt64(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n)
            ? n
            : null;
}
