using IoNet.Programs.Decoding;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.SystemProgram;

/// <summary>System Program instructions IoNet builds and decodes (u32 tag, little-endian fields).</summary>
public abstract record SystemInstruction
{
    public string Name => GetType().Name;

    public abstract TransactionInstruction Build();

    public static SystemInstruction Decode(IReadOnlyList<AccountMeta> accounts, ReadOnlySpan<byte> data)
    {
        var r = new InstructionReader(data, "System");
        var tag = r.U32();
        PublicKey At(int i) => i < accounts.Count ? accounts[i].PublicKey : throw new ProgramDecodeException($"System instruction {tag}: needs {i + 1} accounts.");
        return tag switch
        {
            0 => new CreateAccount(At(0), At(1), r.U64(), r.U64(), r.Key()),
            1 => new Assign(At(0), r.Key()),
            2 => new SystemTransfer(At(0), At(1), r.U64()),
            8 => new Allocate(At(0), r.U64()),
            _ => throw new ProgramDecodeException($"System instruction {tag} is not decoded."),
        };
    }

    private protected static TransactionInstruction Make(InstructionWriter data, params AccountMeta[] accounts) =>
        new(WellKnownPrograms.System, accounts, data.ToArray());
}

public sealed record CreateAccount(PublicKey From, PublicKey NewAccount, ulong Lamports, ulong Space, PublicKey Owner) : SystemInstruction
{
    public override TransactionInstruction Build() =>
        Make(new InstructionWriter().U32(0).U64(Lamports).U64(Space).Key(Owner), AccountMeta.Writable(From, true), AccountMeta.Writable(NewAccount, true));
}

public sealed record Assign(PublicKey Account, PublicKey Owner) : SystemInstruction
{
    public override TransactionInstruction Build() => Make(new InstructionWriter().U32(1).Key(Owner), AccountMeta.Writable(Account, true));
}

/// <summary>A lamport transfer (System Program instruction 2).</summary>
public sealed record SystemTransfer(PublicKey From, PublicKey To, ulong Lamports) : SystemInstruction
{
    public override TransactionInstruction Build() =>
        Make(new InstructionWriter().U32(2).U64(Lamports), AccountMeta.Writable(From, true), AccountMeta.Writable(To));
}

public sealed record Allocate(PublicKey Account, ulong Space) : SystemInstruction
{
    public override TransactionInstruction Build() => Make(new InstructionWriter().U32(8).U64(Space), AccountMeta.Writable(Account, true));
}
