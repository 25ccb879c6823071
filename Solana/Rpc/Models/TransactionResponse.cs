using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>The result of getTransaction: one transaction in the encoding asked for, with its status meta.</summary>
[JsonConverter(typeof(Json.TransactionResponseConverter))]
public sealed class TransactionResponse
{
    [JsonPropertyName("slot")] public ulong Slot { get; set; }

    /// <summary>Unix seconds; null when the node does not know it.</summary>
    [JsonPropertyName("blockTime")] public long? BlockTime { get; set; }

    /// <summary>Null when the request did not set maxSupportedTransactionVersion (the field is absent).</summary>
    [JsonPropertyName("version")] public TransactionVersion? Version { get; set; }

    [JsonPropertyName("transaction")] public EncodedTransaction? Transaction { get; set; }

    [JsonPropertyName("meta")] public TransactionMeta? Meta { get; set; }
}
