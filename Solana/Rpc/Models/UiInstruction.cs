using System.Text.Json;
using System.Text.Json.Serialization;
using IoNet.Solana.Rpc.Json;

namespace IoNet.Solana.Rpc;

/// <summary>
/// One instruction, in whichever form the node sent it: compiled (programIdIndex + account indexes + base58 data),
/// partially decoded (programId + account addresses + base58 data, jsonParsed for unknown programs) or parsed
/// (program, programId and the parsed JSON kept raw).
/// </summary>
[JsonConverter(typeof(UiInstructionConverter))]
public sealed class UiInstruction
{
    /// <summary>Index into the account keys (static, then loaded writable, then loaded readonly); compiled form only.</summary>
    public int? ProgramIdIndex { get; set; }

    /// <summary>Account indexes; compiled form only.</summary>
    public IReadOnlyList<int>? Accounts { get; set; }

    /// <summary>Account addresses; partially decoded form only.</summary>
    public IReadOnlyList<string>? AccountAddresses { get; set; }

    /// <summary>Instruction data in base58 (compiled and partially decoded forms). Empty data is "".</summary>
    public string? Data { get; set; }

    /// <summary>Program address (jsonParsed forms).</summary>
    public string? ProgramId { get; set; }

    /// <summary>Parser name, e.g. "spl-token" (for both token programs: tell them apart by ProgramId).</summary>
    public string? Program { get; set; }

    /// <summary>The node's parsed view, kept as it was: usually {type, info}, sometimes a plain string (memo).</summary>
    public JsonElement? Parsed { get; set; }

    /// <summary>parsed.type when the parsed value is an object carrying it.</summary>
    public string? ParsedType { get; set; }

    /// <summary>1 for top level, 2+ for CPIs; null when absent or explicit null (older nodes).</summary>
    public int? StackHeight { get; set; }

    public bool IsParsed => Parsed is not null;
}
