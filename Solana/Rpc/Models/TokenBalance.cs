using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>A token account's balance before or after a transaction.</summary>
[JsonConverter(typeof(Json.TokenBalanceConverter))]
public sealed class TokenBalance
{
    [JsonPropertyName("accountIndex")] public int AccountIndex { get; set; }

    [JsonPropertyName("mint")] public string Mint { get; set; } = "";

    /// <summary>Absent on older nodes.</summary>
    [JsonPropertyName("owner")] public string? Owner { get; set; }

    /// <summary>Token program (Token or Token-2022); absent on older nodes.</summary>
    [JsonPropertyName("programId")] public string? ProgramId { get; set; }

    [JsonPropertyName("uiTokenAmount")] public TokenAmount UiTokenAmount { get; set; } = new();
}

/// <summary>A token amount: <see cref="Amount"/> (base units, as a string) is the truth; the rest is display.</summary>
public sealed class TokenAmount
{
    [JsonPropertyName("amount")] public string Amount { get; set; } = "0";

    [JsonPropertyName("decimals")] public byte Decimals { get; set; }

    /// <summary>Null when the amount is zero (the node sends null).</summary>
    [JsonPropertyName("uiAmount")] public double? UiAmount { get; set; }

    [JsonPropertyName("uiAmountString")] public string? UiAmountString { get; set; }

    /// <summary>The amount in base units; throws <see cref="SolanaException"/> if the node sent something else.</summary>
    [JsonIgnore]
    public ulong BaseUnits => ulong.TryParse(Amount, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
        ? v
        : throw new SolanaException($"Token amount '{Amount}' is not an unsigned integer of base units.");
}
