using IoNet.Programs.AssociatedToken;
using IoNet.Programs.ComputeBudget;
using IoNet.Programs.Memo;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Decoding;

/// <summary>Decodes one instruction of any known program; anything else, or anything malformed, becomes an <see cref="UnknownInstruction"/>.</summary>
public static class InstructionDecoder
{
    public static object Decode(PublicKey programId, IReadOnlyList<AccountMeta> accounts, ReadOnlySpan<byte> data)
    {
        try
        {
            if (TokenInstructionDecoder.IsTokenProgram(programId))
                return TokenInstructionDecoder.Decode(programId, accounts, data);
            if (MemoInstruction.IsMemoProgram(programId))
                return MemoInstruction.Decode(programId, accounts, data);
            if (programId == WellKnownPrograms.System)
                return SystemInstruction.Decode(accounts, data);
            if (programId == WellKnownPrograms.AssociatedToken)
                return AssociatedTokenInstruction.Decode(accounts, data);
            if (programId == WellKnownPrograms.ComputeBudget)
                return ComputeBudgetInstruction.Decode(data);
            return new UnknownInstruction(programId, data.ToArray(), "program not decoded");
        }
        catch (ProgramDecodeException e)
        {
            return new UnknownInstruction(programId, data.ToArray(), e.Message);
        }
    }

    public static object Decode(TransactionInstruction instruction) =>
        Decode(instruction.ProgramId, instruction.Accounts, instruction.Data.Span);
}
