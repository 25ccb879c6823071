using IoNet.Programs.Decoding;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Token;

/// <summary>
/// An instruction of the SPL Token program or Token-2022 (same layout for the classic set), as built or decoded.
/// <see cref="Signers"/> are the multisig signers after the authority; <see cref="References"/> are read-only
/// non-signer keys appended after them (Solana Pay references), which the program ignores.
/// </summary>
public abstract record TokenInstruction
{
    public PublicKey ProgramId { get; init; } = WellKnownPrograms.Token;
    public AccountList Signers { get; init; } = AccountList.Empty;
    public AccountList References { get; init; } = AccountList.Empty;

    /// <summary>The instruction's name as the program calls it.</summary>
    public string Name => GetType().Name;

    internal abstract byte[] Data();

    internal abstract IEnumerable<AccountMeta> FixedAccounts();

    public TransactionInstruction Build() => new(ProgramId, [.. FixedAccounts(), .. Signers.Select(s => AccountMeta.ReadOnly(s, isSigner: true)), .. References.Select(r => AccountMeta.ReadOnly(r))], Data());

    /// <summary>The authority account: a signer itself, unless it is a multisig whose members sign.</summary>
    private protected AccountMeta SignedBy(PublicKey authority) => AccountMeta.ReadOnly(authority, isSigner: Signers.Count == 0);

    private protected static InstructionWriter Tag(TokenInstructionTag tag) => new InstructionWriter().U8((byte)tag);
}

/// <summary>The classic instruction tags (0–24), Token-2022's transfer-fee extension (26) and p-token's Batch (255).</summary>
public enum TokenInstructionTag : byte
{
    InitializeMint = 0, InitializeAccount = 1, InitializeMultisig = 2, Transfer = 3, Approve = 4, Revoke = 5,
    SetAuthority = 6, MintTo = 7, Burn = 8, CloseAccount = 9, FreezeAccount = 10, ThawAccount = 11,
    TransferChecked = 12, ApproveChecked = 13, MintToChecked = 14, BurnChecked = 15, InitializeAccount2 = 16,
    SyncNative = 17, InitializeAccount3 = 18, InitializeMultisig2 = 19, InitializeMint2 = 20, GetAccountDataSize = 21,
    InitializeImmutableOwner = 22, AmountToUiAmount = 23, UiAmountToAmount = 24, TransferFeeExtension = 26, Batch = 255,
}

/// <summary>Which authority SetAuthority changes (classic values; Token-2022 adds more, kept as their number).</summary>
public enum AuthorityType : byte { MintTokens = 0, FreezeAccount = 1, AccountOwner = 2, CloseAccount = 3 }

public sealed record InitializeMint(PublicKey Mint, byte Decimals, PublicKey MintAuthority, PublicKey? FreezeAuthority) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeMint).U8(Decimals).Key(MintAuthority).OptionalKey(FreezeAuthority).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Mint), AccountMeta.ReadOnly(WellKnownPrograms.SysvarRent)];
}

public sealed record InitializeMint2(PublicKey Mint, byte Decimals, PublicKey MintAuthority, PublicKey? FreezeAuthority) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeMint2).U8(Decimals).Key(MintAuthority).OptionalKey(FreezeAuthority).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Mint)];
}

public sealed record InitializeAccount(PublicKey Account, PublicKey Mint, PublicKey Owner) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeAccount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() =>
        [AccountMeta.Writable(Account), AccountMeta.ReadOnly(Mint), AccountMeta.ReadOnly(Owner), AccountMeta.ReadOnly(WellKnownPrograms.SysvarRent)];
}

public sealed record InitializeAccount2(PublicKey Account, PublicKey Mint, PublicKey Owner) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeAccount2).Key(Owner).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() =>
        [AccountMeta.Writable(Account), AccountMeta.ReadOnly(Mint), AccountMeta.ReadOnly(WellKnownPrograms.SysvarRent)];
}

public sealed record InitializeAccount3(PublicKey Account, PublicKey Mint, PublicKey Owner) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeAccount3).Key(Owner).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account), AccountMeta.ReadOnly(Mint)];
}

/// <summary>Creates a multisig: the members are the <see cref="TokenInstruction.Signers"/> list (they need not sign here).</summary>
public sealed record InitializeMultisig(PublicKey Multisig, byte RequiredSigners, AccountList Members) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeMultisig).U8(RequiredSigners).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() =>
        [AccountMeta.Writable(Multisig), AccountMeta.ReadOnly(WellKnownPrograms.SysvarRent), .. Members.Select(m => AccountMeta.ReadOnly(m))];
}

public sealed record InitializeMultisig2(PublicKey Multisig, byte RequiredSigners, AccountList Members) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeMultisig2).U8(RequiredSigners).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Multisig), .. Members.Select(m => AccountMeta.ReadOnly(m))];
}

public sealed record Transfer(PublicKey Source, PublicKey Destination, PublicKey Authority, ulong Amount) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.Transfer).U64(Amount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Source), AccountMeta.Writable(Destination), SignedBy(Authority)];
}

public sealed record TransferChecked(PublicKey Source, PublicKey Mint, PublicKey Destination, PublicKey Authority, ulong Amount, byte Decimals) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.TransferChecked).U64(Amount).U8(Decimals).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() =>
        [AccountMeta.Writable(Source), AccountMeta.ReadOnly(Mint), AccountMeta.Writable(Destination), SignedBy(Authority)];
}

/// <summary>Token-2022's transfer-fee extension: InitializeTransferFeeConfig (extension tag 26, sub-instruction 0), before InitializeMint.</summary>
public sealed record InitializeTransferFeeConfig(PublicKey Mint, PublicKey? ConfigAuthority, PublicKey? WithdrawWithheldAuthority, ushort BasisPoints, ulong MaximumFee) : TokenInstruction
{
    internal override byte[] Data() =>
        Tag(TokenInstructionTag.TransferFeeExtension).U8(0).OptionalKey(ConfigAuthority).OptionalKey(WithdrawWithheldAuthority).U16(BasisPoints).U64(MaximumFee).ToArray();

    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Mint)];

    /// <summary>The fee the program charges on <paramref name="amount"/>: basis points rounded up, capped at the maximum.</summary>
    public ulong FeeFor(ulong amount) => Math.Min(MaximumFee, (ulong)(((UInt128)amount * BasisPoints + 9_999) / 10_000));
}

/// <summary>Token-2022's transfer-fee extension: TransferCheckedWithFee (extension tag 26, sub-instruction 1).</summary>
public sealed record TransferCheckedWithFee(PublicKey Source, PublicKey Mint, PublicKey Destination, PublicKey Authority, ulong Amount, byte Decimals, ulong Fee) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.TransferFeeExtension).U8(1).U64(Amount).U8(Decimals).U64(Fee).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() =>
        [AccountMeta.Writable(Source), AccountMeta.ReadOnly(Mint), AccountMeta.Writable(Destination), SignedBy(Authority)];
}

public sealed record Approve(PublicKey Source, PublicKey Delegate, PublicKey Owner, ulong Amount) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.Approve).U64(Amount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Source), AccountMeta.ReadOnly(Delegate), SignedBy(Owner)];
}

public sealed record ApproveChecked(PublicKey Source, PublicKey Mint, PublicKey Delegate, PublicKey Owner, ulong Amount, byte Decimals) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.ApproveChecked).U64(Amount).U8(Decimals).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() =>
        [AccountMeta.Writable(Source), AccountMeta.ReadOnly(Mint), AccountMeta.ReadOnly(Delegate), SignedBy(Owner)];
}

public sealed record Revoke(PublicKey Source, PublicKey Owner) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.Revoke).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Source), SignedBy(Owner)];
}

public sealed record SetAuthority(PublicKey Account, PublicKey CurrentAuthority, byte AuthorityType, PublicKey? NewAuthority) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.SetAuthority).U8(AuthorityType).OptionalKey(NewAuthority).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account), SignedBy(CurrentAuthority)];
}

public sealed record MintTo(PublicKey Mint, PublicKey Destination, PublicKey Authority, ulong Amount) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.MintTo).U64(Amount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Mint), AccountMeta.Writable(Destination), SignedBy(Authority)];
}

public sealed record MintToChecked(PublicKey Mint, PublicKey Destination, PublicKey Authority, ulong Amount, byte Decimals) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.MintToChecked).U64(Amount).U8(Decimals).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Mint), AccountMeta.Writable(Destination), SignedBy(Authority)];
}

public sealed record Burn(PublicKey Account, PublicKey Mint, PublicKey Authority, ulong Amount) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.Burn).U64(Amount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account), AccountMeta.Writable(Mint), SignedBy(Authority)];
}

public sealed record BurnChecked(PublicKey Account, PublicKey Mint, PublicKey Authority, ulong Amount, byte Decimals) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.BurnChecked).U64(Amount).U8(Decimals).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account), AccountMeta.Writable(Mint), SignedBy(Authority)];
}

public sealed record CloseAccount(PublicKey Account, PublicKey Destination, PublicKey Owner) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.CloseAccount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account), AccountMeta.Writable(Destination), SignedBy(Owner)];
}

public sealed record FreezeAccount(PublicKey Account, PublicKey Mint, PublicKey Authority) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.FreezeAccount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account), AccountMeta.ReadOnly(Mint), SignedBy(Authority)];
}

public sealed record ThawAccount(PublicKey Account, PublicKey Mint, PublicKey Authority) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.ThawAccount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account), AccountMeta.ReadOnly(Mint), SignedBy(Authority)];
}

public sealed record SyncNative(PublicKey Account) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.SyncNative).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account)];
}

/// <summary>Asks the account size for a mint; Token-2022 adds the extension types (u16 each) to size for.</summary>
public sealed record GetAccountDataSize(PublicKey Mint, IReadOnlyList<ushort> ExtensionTypes) : TokenInstruction
{
    internal override byte[] Data()
    {
        var writer = Tag(TokenInstructionTag.GetAccountDataSize);
        foreach (var extension in ExtensionTypes)
            writer.U16(extension);
        return writer.ToArray();
    }

    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.ReadOnly(Mint)];

    public bool Equals(GetAccountDataSize? other) =>
        other is not null && base.Equals(other) && Mint == other.Mint && ExtensionTypes.SequenceEqual(other.ExtensionTypes);

    public override int GetHashCode() => Mint.GetHashCode();
}

public sealed record InitializeImmutableOwner(PublicKey Account) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.InitializeImmutableOwner).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.Writable(Account)];
}

public sealed record AmountToUiAmount(PublicKey Mint, ulong Amount) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.AmountToUiAmount).U64(Amount).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.ReadOnly(Mint)];
}

public sealed record UiAmountToAmount(PublicKey Mint, string UiAmount) : TokenInstruction
{
    internal override byte[] Data() => Tag(TokenInstructionTag.UiAmountToAmount).Bytes(System.Text.Encoding.UTF8.GetBytes(UiAmount)).ToArray();
    internal override IEnumerable<AccountMeta> FixedAccounts() => [AccountMeta.ReadOnly(Mint)];
}

/// <summary>p-token's Batch (tag 255): several token instructions in one, each with its own slice of the accounts.</summary>
public sealed record Batch(IReadOnlyList<TokenInstruction> Instructions) : TokenInstruction
{
    internal override byte[] Data()
    {
        var writer = Tag(TokenInstructionTag.Batch);
        foreach (var inner in Normalized)
        {
            var built = inner.Build();
            if (built.Accounts.Count > byte.MaxValue || built.Data.Length > byte.MaxValue)
                throw new ProgramDecodeException("A batched instruction has at most 255 accounts and 255 data bytes.");
            writer.U8((byte)built.Accounts.Count).U8((byte)built.Data.Length).Bytes(built.Data.Span);
        }
        return writer.ToArray();
    }

    internal override IEnumerable<AccountMeta> FixedAccounts() => Normalized.SelectMany(i => i.Build().Accounts);

    /// <summary>Batched instructions always run under the batch's own program id.</summary>
    public IEnumerable<TokenInstruction> Normalized => Instructions.Select(i => i with { ProgramId = ProgramId });

    public bool Equals(Batch? other) => other is not null && base.Equals(other) && Normalized.SequenceEqual(other.Normalized);

    public override int GetHashCode() => Instructions.Count;
}
