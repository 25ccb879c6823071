namespace IoNet.Solana.Messages;

/// <summary>An instruction as a message stores it: indexes into the message's account keys, and opaque data.</summary>
public sealed class CompiledInstruction(byte programIdIndex, ReadOnlyMemory<byte> accounts, ReadOnlyMemory<byte> data)
    : IEquatable<CompiledInstruction>
{
    public byte ProgramIdIndex { get; } = programIdIndex;

    /// <summary>Indexes into the full account list (static keys, then loaded writable, then loaded read-only).</summary>
    public ReadOnlyMemory<byte> Accounts { get; } = accounts;

    public ReadOnlyMemory<byte> Data { get; } = data;

    public bool Equals(CompiledInstruction? other) =>
        other is not null && ProgramIdIndex == other.ProgramIdIndex
        && Accounts.Span.SequenceEqual(other.Accounts.Span) && Data.Span.SequenceEqual(other.Data.Span);

    public override bool Equals(object? obj) => Equals(obj as CompiledInstruction);

    public override int GetHashCode() => HashCode.Combine(ProgramIdIndex, Accounts.Length, Data.Length);

    public override string ToString() => $"program #{ProgramIdIndex}, accounts [{string.Join(',', Accounts.ToArray())}], {Data.Length} data bytes";
}
