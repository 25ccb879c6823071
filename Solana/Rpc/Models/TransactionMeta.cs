using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>The status meta of a processed transaction (UiTransactionStatusMeta).</summary>
[JsonConverter(typeof(Json.TransactionMetaConverter))]
public sealed class TransactionMeta
{
    /// <summary>Null when the transaction succeeded.</summary>
    [JsonPropertyName("err")] public TransactionError? Err { get; set; }

    /// <summary>The deprecated {"Ok": null} / {"Err": ...} form.</summary>
    [JsonPropertyName("status")] public TransactionStatus? Status { get; set; }

    [JsonPropertyName("fee")] public ulong Fee { get; set; }

    [JsonPropertyName("preBalances")] public IReadOnlyList<ulong> PreBalances { get; set; } = [];

    [JsonPropertyName("postBalances")] public IReadOnlyList<ulong> PostBalances { get; set; } = [];

    [JsonPropertyName("preTokenBalances")] public IReadOnlyList<TokenBalance>? PreTokenBalances { get; set; }

    [JsonPropertyName("postTokenBalances")] public IReadOnlyList<TokenBalance>? PostTokenBalances { get; set; }

    [JsonPropertyName("innerInstructions")] public IReadOnlyList<InnerInstructionGroup>? InnerInstructions { get; set; }

    [JsonPropertyName("logMessages")] public IReadOnlyList<string>? LogMessages { get; set; }

    /// <summary>Null when absent (jsonParsed, old nodes); empty lists when present and empty.</summary>
    [JsonPropertyName("loadedAddresses")] public LoadedAddresses? LoadedAddresses { get; set; }

    [JsonPropertyName("returnData")] public ReturnData? ReturnData { get; set; }

    /// <summary>Null when absent (older nodes).</summary>
    [JsonPropertyName("computeUnitsConsumed")] public ulong? ComputeUnitsConsumed { get; set; }

    [JsonPropertyName("rewards")] public IReadOnlyList<Reward>? Rewards { get; set; }

    [JsonIgnore] public bool Succeeded => Err is null;
}

public sealed class InnerInstructionGroup
{
    /// <summary>Index of the top-level instruction these CPIs ran under.</summary>
    [JsonPropertyName("index")] public int Index { get; set; }

    [JsonPropertyName("instructions")] public IReadOnlyList<UiInstruction> Instructions { get; set; } = [];
}

/// <summary>Keys a v0 transaction loaded from lookup tables; they follow the static keys, writable first.</summary>
public sealed class LoadedAddresses
{
    [JsonPropertyName("writable")] public IReadOnlyList<string> Writable { get; set; } = [];

    [JsonPropertyName("readonly")] public IReadOnlyList<string> Readonly { get; set; } = [];
}

public sealed class ReturnData
{
    [JsonPropertyName("programId")] public string ProgramId { get; set; } = "";

    /// <summary>Decoded from the wire's [base64, "base64"] pair.</summary>
    [JsonPropertyName("data")] [JsonConverter(typeof(Json.Base64PairConverter))] public byte[] Data { get; set; } = [];
}

public sealed class Reward
{
    [JsonPropertyName("pubkey")] public string Pubkey { get; set; } = "";

    /// <summary>Signed: rent collection shows as negative.</summary>
    [JsonPropertyName("lamports")] public long Lamports { get; set; }

    [JsonPropertyName("postBalance")] public ulong PostBalance { get; set; }

    /// <summary>"Fee", "Rent", "Staking", "Voting"; may be null.</summary>
    [JsonPropertyName("rewardType")] public string? RewardType { get; set; }

    [JsonPropertyName("commission")] public byte? Commission { get; set; }
}
