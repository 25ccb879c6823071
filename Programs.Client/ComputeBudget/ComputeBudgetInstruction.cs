using IoNet.Programs.Decoding;
using IoNet.Solana.Addresses;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.ComputeBudget;

/// <summary>Compute Budget program instructions: unit limit, unit price (micro-lamports per unit), heap frame, loaded data size.</summary>
public sealed record ComputeBudgetInstruction(ComputeBudgetKind Kind, ulong Value)
{
    public static ComputeBudgetInstruction UnitLimit(uint units) => new(ComputeBudgetKind.SetComputeUnitLimit, units);

    public static ComputeBudgetInstruction UnitPrice(ulong microLamports) => new(ComputeBudgetKind.SetComputeUnitPrice, microLamports);

    public TransactionInstruction Build()
    {
        var writer = new InstructionWriter().U8((byte)Kind);
        if (Kind == ComputeBudgetKind.SetComputeUnitPrice)
            writer.U64(Value);
        else
            writer.U32(checked((uint)Value));
        return new(WellKnownPrograms.ComputeBudget, [], writer.ToArray());
    }

    public static ComputeBudgetInstruction Decode(ReadOnlySpan<byte> data)
    {
        var r = new InstructionReader(data, "ComputeBudget");
        var kind = (ComputeBudgetKind)r.U8();
        return kind switch
        {
            ComputeBudgetKind.RequestHeapFrame or ComputeBudgetKind.SetComputeUnitLimit or ComputeBudgetKind.SetLoadedAccountsDataSizeLimit
                => new(kind, r.U32()),
            ComputeBudgetKind.SetComputeUnitPrice => new(kind, r.U64()),
            _ => throw new ProgramDecodeException($"Compute budget instruction {(byte)kind} is unknown."),
        };
    }
}

public enum ComputeBudgetKind : byte
{
    RequestHeapFrame = 1,
    SetComputeUnitLimit = 2,
    SetComputeUnitPrice = 3,
    SetLoadedAccountsDataSizeLimit = 4,
}
