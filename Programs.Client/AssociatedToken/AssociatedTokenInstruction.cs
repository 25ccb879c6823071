using IoNet.Programs.Decoding;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.AssociatedToken;

/// <summary>The Associated Token Account program: Create (fails if it exists), CreateIdempotent, RecoverNested.</summary>
public sealed record AssociatedTokenInstruction(
    AssociatedTokenInstructionKind Kind, PublicKey Payer, PublicKey Account, PublicKey Owner, PublicKey Mint, PublicKey TokenProgram)
{
    public static AssociatedTokenInstruction CreateIdempotent(PublicKey payer, PublicKey owner, PublicKey mint, PublicKey? tokenProgram = null)
    {
        var program = tokenProgram ?? WellKnownPrograms.Token;
        return new(AssociatedTokenInstructionKind.CreateIdempotent, payer, AssociatedTokenAccount.Find(owner, mint, program), owner, mint, program);
    }

    public static AssociatedTokenInstruction Create(PublicKey payer, PublicKey owner, PublicKey mint, PublicKey? tokenProgram = null) =>
        CreateIdempotent(payer, owner, mint, tokenProgram) with { Kind = AssociatedTokenInstructionKind.Create };

    public TransactionInstruction Build()
    {
        if (Kind == AssociatedTokenInstructionKind.RecoverNested)
            throw new ProgramDecodeException("RecoverNested is decoded only, not built.");
        return new(WellKnownPrograms.AssociatedToken,
        [
            AccountMeta.Writable(Payer, true), AccountMeta.Writable(Account), AccountMeta.ReadOnly(Owner), AccountMeta.ReadOnly(Mint),
            AccountMeta.ReadOnly(WellKnownPrograms.System), AccountMeta.ReadOnly(TokenProgram),
        ], Kind == AssociatedTokenInstructionKind.CreateIdempotent ? [1] : Array.Empty<byte>());
    }

    /// <summary>Empty data is Create (the original form); 0, 1, 2 select Create, CreateIdempotent, RecoverNested.</summary>
    public static AssociatedTokenInstruction Decode(IReadOnlyList<AccountMeta> accounts, ReadOnlySpan<byte> data)
    {
        var kind = data.IsEmpty ? AssociatedTokenInstructionKind.Create : data[0] switch
        {
            0 => AssociatedTokenInstructionKind.Create,
            1 => AssociatedTokenInstructionKind.CreateIdempotent,
            2 => AssociatedTokenInstructionKind.RecoverNested,
            var other => throw new ProgramDecodeException($"Associated token instruction {other} is unknown."),
        };
        if (kind == AssociatedTokenInstructionKind.RecoverNested)
        {
            // nested ATA, nested mint, destination ATA, owner ATA, owner mint, wallet (signer), token program
            if (accounts.Count < 7)
                throw new ProgramDecodeException("RecoverNested needs 7 accounts.");
            return new(kind, accounts[5].PublicKey, accounts[0].PublicKey, accounts[3].PublicKey, accounts[1].PublicKey, accounts[6].PublicKey);
        }
        if (accounts.Count < 6)
            throw new ProgramDecodeException($"{kind} needs 6 accounts, has {accounts.Count}.");
        return new(kind, accounts[0].PublicKey, accounts[1].PublicKey, accounts[2].PublicKey, accounts[3].PublicKey, accounts[5].PublicKey);
    }
}

public enum AssociatedTokenInstructionKind { Create, CreateIdempotent, RecoverNested }
