using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>A transaction message as json / jsonParsed encodings show it.</summary>
[JsonConverter(typeof(Json.UiMessageConverter))]
public sealed class UiMessage
{
    /// <summary>Static account keys. In json they are plain strings; in jsonParsed objects with signer/writable/source
    /// (and, for v0, the loaded keys too, with source "lookupTable").</summary>
    [JsonPropertyName("accountKeys")] public IReadOnlyList<AccountKey> AccountKeys { get; set; } = [];

    /// <summary>Absent in jsonParsed.</summary>
    [JsonPropertyName("header")] public MessageHeader? Header { get; set; }

    [JsonPropertyName("recentBlockhash")] public string RecentBlockhash { get; set; } = "";

    [JsonPropertyName("instructions")] public IReadOnlyList<UiInstruction> Instructions { get; set; } = [];

    /// <summary>Null when absent or an explicit null (legacy messages).</summary>
    [JsonPropertyName("addressTableLookups")] public IReadOnlyList<AddressTableLookup>? AddressTableLookups { get; set; }
}

public sealed class MessageHeader
{
    [JsonPropertyName("numRequiredSignatures")] public int NumRequiredSignatures { get; set; }

    [JsonPropertyName("numReadonlySignedAccounts")] public int NumReadonlySignedAccounts { get; set; }

    [JsonPropertyName("numReadonlyUnsignedAccounts")] public int NumReadonlyUnsignedAccounts { get; set; }
}

public sealed class AddressTableLookup
{
    [JsonPropertyName("accountKey")] public string AccountKey { get; set; } = "";

    [JsonPropertyName("writableIndexes")] public IReadOnlyList<byte> WritableIndexes { get; set; } = [];

    [JsonPropertyName("readonlyIndexes")] public IReadOnlyList<byte> ReadonlyIndexes { get; set; } = [];
}
