using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>How settled a slot or transaction is.</summary>
[JsonConverter(typeof(CommitmentJsonConverter))]
public enum Commitment
{
    [JsonStringEnumMemberName("processed")] Processed,
    [JsonStringEnumMemberName("confirmed")] Confirmed,
    [JsonStringEnumMemberName("finalized")] Finalized,
}

/// <summary>Commitment as the node writes it, by name only: a number (which the default converter would take as an index) is malformed.</summary>
internal sealed class CommitmentJsonConverter() : JsonStringEnumConverter<Commitment>(namingPolicy: null, allowIntegerValues: false);

/// <summary>One entry of getSignaturesForAddress (newest first).</summary>
public sealed class SignatureInfo
{
    [JsonPropertyName("signature")] public string Signature { get; set; } = "";

    [JsonPropertyName("slot")] public ulong Slot { get; set; }

    [JsonPropertyName("err")] public TransactionError? Err { get; set; }

    [JsonPropertyName("memo")] public string? Memo { get; set; }

    [JsonPropertyName("blockTime")] public long? BlockTime { get; set; }

    [JsonPropertyName("confirmationStatus")] public Commitment? ConfirmationStatus { get; set; }
}

/// <summary>One entry of getSignatureStatuses (null entries mean unknown signature).</summary>
public sealed class SignatureStatus
{
    [JsonPropertyName("slot")] public ulong Slot { get; set; }

    /// <summary>Null once the block is rooted (finalized).</summary>
    [JsonPropertyName("confirmations")] public ulong? Confirmations { get; set; }

    [JsonPropertyName("err")] public TransactionError? Err { get; set; }

    [JsonPropertyName("status")] public TransactionStatus? Status { get; set; }

    [JsonPropertyName("confirmationStatus")] public Commitment? ConfirmationStatus { get; set; }
}
