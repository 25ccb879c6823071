using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>The result of getBlock.</summary>
[JsonConverter(typeof(Json.BlockConverter))]
public sealed class Block
{
    [JsonPropertyName("blockhash")] public string Blockhash { get; set; } = "";

    [JsonPropertyName("previousBlockhash")] public string PreviousBlockhash { get; set; } = "";

    [JsonPropertyName("parentSlot")] public ulong ParentSlot { get; set; }

    [JsonPropertyName("blockHeight")] public ulong? BlockHeight { get; set; }

    [JsonPropertyName("blockTime")] public long? BlockTime { get; set; }

    /// <summary>Present with transactionDetails "full" / "accounts".</summary>
    [JsonPropertyName("transactions")] public IReadOnlyList<BlockTransaction>? Transactions { get; set; }

    /// <summary>Present with transactionDetails "signatures".</summary>
    [JsonPropertyName("signatures")] public IReadOnlyList<string>? Signatures { get; set; }

    [JsonPropertyName("rewards")] public IReadOnlyList<Reward>? Rewards { get; set; }
}

/// <summary>One transaction of a block (no slot or blockTime of its own: they are the block's).</summary>
public sealed class BlockTransaction
{
    [JsonPropertyName("transaction")] public EncodedTransaction? Transaction { get; set; }

    [JsonPropertyName("meta")] public TransactionMeta? Meta { get; set; }

    [JsonPropertyName("version")] public TransactionVersion? Version { get; set; }
}
