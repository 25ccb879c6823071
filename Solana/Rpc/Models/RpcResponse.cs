using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>The {context, value} wrapper of many methods.</summary>
public sealed class RpcResponse<T>
{
    [JsonPropertyName("context")] public RpcContext Context { get; set; } = new();

    [JsonPropertyName("value")] public T Value { get; set; } = default!;
}

public sealed class RpcContext
{
    [JsonPropertyName("slot")] public ulong Slot { get; set; }

    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
}
