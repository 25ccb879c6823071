using System.Text.Json;
using System.Text.Json.Serialization;
using IoNet.Solana.Rpc.Json;

namespace IoNet.Solana.Rpc;

/// <summary>An account as getAccountInfo / getMultipleAccounts return it.</summary>
public sealed class AccountInfo
{
    [JsonPropertyName("lamports")] public ulong Lamports { get; set; }

    [JsonPropertyName("owner")] public string Owner { get; set; } = "";

    [JsonPropertyName("data")] public AccountData Data { get; set; } = new();

    [JsonPropertyName("executable")] public bool Executable { get; set; }

    /// <summary>u64::MAX for rent-exempt accounts on current nodes.</summary>
    [JsonPropertyName("rentEpoch")] public ulong RentEpoch { get; set; }

    [JsonPropertyName("space")] public ulong? Space { get; set; }
}

/// <summary>Account data: raw bytes (base64 / base58 encodings) or the node's parsed view (jsonParsed).</summary>
[JsonConverter(typeof(AccountDataConverter))]
public sealed class AccountData
{
    /// <summary>The raw data when the node sent bytes (jsonParsed falls back to bytes for unknown owners).</summary>
    public byte[]? Bytes { get; set; }

    /// <summary>Parser name, e.g. "spl-token".</summary>
    public string? Program { get; set; }

    /// <summary>The parsed value, e.g. {type:"account", info:{...}}, kept as sent.</summary>
    public JsonElement? Parsed { get; set; }

    public ulong? Space { get; set; }
}
