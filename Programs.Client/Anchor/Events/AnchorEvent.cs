using System.Text.Json.Nodes;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Anchor.Events;

/// <summary>A decoded Anchor event: its name, the program that emitted it, its value, and where it was found.</summary>
public sealed record AnchorEvent(string Name, PublicKey ProgramId, JsonNode Data, AnchorEventOrigin Origin);

/// <summary>Where an event came from: a `Program data:` log line (emit!) or an inner instruction (emit_cpi!).</summary>
public abstract record AnchorEventOrigin
{
    public sealed record LogLine(int Index) : AnchorEventOrigin;

    /// <summary>Inner instruction <see cref="Position"/> of the group for top-level instruction <see cref="InstructionIndex"/>.</summary>
    public sealed record InnerInstruction(int InstructionIndex, int Position) : AnchorEventOrigin;
}

/// <summary>An inner instruction as the RPC lists it, with its program id resolved (lookup tables included).</summary>
public sealed record InnerInstructionData(int InstructionIndex, int Position, PublicKey ProgramId, ReadOnlyMemory<byte> Data);
