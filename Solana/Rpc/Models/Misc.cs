using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>getLatestBlockhash's value.</summary>
public sealed class LatestBlockhash
{
    [JsonPropertyName("blockhash")] public string Blockhash { get; set; } = "";

    /// <summary>The transaction expires once the block height passes this.</summary>
    [JsonPropertyName("lastValidBlockHeight")] public ulong LastValidBlockHeight { get; set; }
}

/// <summary>simulateTransaction's value (also the data of a -32002 preflight failure).</summary>
public sealed class SimulationResult
{
    [JsonPropertyName("err")] public TransactionError? Err { get; set; }

    [JsonPropertyName("logs")] public IReadOnlyList<string>? Logs { get; set; }

    [JsonPropertyName("accounts")] public IReadOnlyList<AccountInfo?>? Accounts { get; set; }

    [JsonPropertyName("unitsConsumed")] public ulong? UnitsConsumed { get; set; }

    [JsonPropertyName("returnData")] public ReturnData? ReturnData { get; set; }

    [JsonPropertyName("innerInstructions")] public IReadOnlyList<InnerInstructionGroup>? InnerInstructions { get; set; }

    [JsonPropertyName("replacementBlockhash")] public LatestBlockhash? ReplacementBlockhash { get; set; }
}

/// <summary>getVersion's result.</summary>
public sealed class NodeVersion
{
    [JsonPropertyName("solana-core")] public string SolanaCore { get; set; } = "";

    [JsonPropertyName("feature-set")] public uint? FeatureSet { get; set; }
}
