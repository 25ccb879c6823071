using System.Text.Json.Serialization;
using IoNet.Solana.Rpc.Json;

namespace IoNet.Solana.Rpc;

/// <summary>Which of the wire shapes a transaction came in.</summary>
public enum TransactionEncoding
{
    Json,
    JsonParsed,
    Base64,
    Base58,
}

/// <summary>
/// A transaction as getTransaction / getBlock return it: either a JSON message (json, jsonParsed) with its
/// signatures, or the raw wire bytes ([data, "base64"]).
/// </summary>
[JsonConverter(typeof(EncodedTransactionConverter))]
public sealed class EncodedTransaction
{
    public TransactionEncoding Encoding { get; set; }

    /// <summary>Base58 signatures, fee payer's first (json / jsonParsed only).</summary>
    public IReadOnlyList<string>? Signatures { get; set; }

    public UiMessage? Message { get; set; }

    /// <summary>The serialized transaction (signatures + message) for base64 / base58 encodings.</summary>
    public byte[]? WireBytes { get; set; }
}
