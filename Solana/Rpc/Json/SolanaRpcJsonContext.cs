using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>Source-generated metadata for every RPC result type (no reflection at run time).</summary>
// RespectNullableAnnotations: an explicit null for a non-nullable property is a malformed response, not a hidden null.
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, MaxDepth = 256, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TransactionResponse))]
[JsonSerializable(typeof(TransactionMeta))]
[JsonSerializable(typeof(UiMessage))]
[JsonSerializable(typeof(Block))]
[JsonSerializable(typeof(IReadOnlyList<SignatureInfo>))]
[JsonSerializable(typeof(RpcResponse<IReadOnlyList<SignatureStatus?>>))]
[JsonSerializable(typeof(RpcResponse<AccountInfo?>))]
[JsonSerializable(typeof(RpcResponse<IReadOnlyList<AccountInfo?>>))]
[JsonSerializable(typeof(RpcResponse<ulong>))]
[JsonSerializable(typeof(RpcResponse<TokenAmount>))]
[JsonSerializable(typeof(RpcResponse<LatestBlockhash>))]
[JsonSerializable(typeof(RpcResponse<bool>))]
[JsonSerializable(typeof(RpcResponse<SimulationResult>))]
[JsonSerializable(typeof(SimulationResult))]
[JsonSerializable(typeof(NodeVersion))]
[JsonSerializable(typeof(SlotInfo))]
[JsonSerializable(typeof(RpcResponse<LogsNotification>))]
[JsonSerializable(typeof(RpcResponse<SignatureNotification>))]
[JsonSerializable(typeof(IReadOnlyList<ulong>))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(RpcErrorBody))]
public sealed partial class SolanaRpcJsonContext : JsonSerializerContext;

/// <summary>The JSON-RPC error object.</summary>
public sealed class RpcErrorBody
{
    [JsonPropertyName("code")] public int Code { get; set; }

    [JsonPropertyName("message")] public string Message { get; set; } = "";

    [JsonPropertyName("data")] public JsonElement? Data { get; set; }
}
