using IoNet.Solana.Keys;

namespace IoNet.Solana.Transactions;

/// <summary>A program call before compilation: the program, its accounts in order, and its data.</summary>
public sealed record TransactionInstruction(PublicKey ProgramId, IReadOnlyList<AccountMeta> Accounts, ReadOnlyMemory<byte> Data)
{
    public bool Equals(TransactionInstruction? other) =>
        other is not null && ProgramId == other.ProgramId && Accounts.SequenceEqual(other.Accounts) && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(ProgramId, Accounts.Count, Data.Length);
}
