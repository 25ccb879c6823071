using IoNet.Programs.Decoding;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Token;

/// <summary>
/// Decodes SPL Token and Token-2022 instructions (the classic set, TransferCheckedWithFee and Batch). Like the
/// program, it reads the fields it needs and ignores trailing data bytes; too few bytes or accounts is a
/// <see cref="ProgramDecodeException"/>.
/// </summary>
public static class TokenInstructionDecoder
{
    public static bool IsTokenProgram(PublicKey programId) => programId == WellKnownPrograms.Token || programId == WellKnownPrograms.Token2022;

    public static TokenInstruction Decode(TransactionInstruction instruction) =>
        Decode(instruction.ProgramId, instruction.Accounts, instruction.Data.Span);

    public static TokenInstruction Decode(PublicKey programId, IReadOnlyList<AccountMeta> accounts, ReadOnlySpan<byte> data)
    {
        if (!IsTokenProgram(programId))
            throw new ProgramDecodeException($"{programId} is not a token program.");
        if (data.IsEmpty)
            throw new ProgramDecodeException("Token instruction without data.");
        var tag = (TokenInstructionTag)data[0];
        var name = tag.ToString();
        var r = new InstructionReader(data[1..], name);
        var a = new Accounts(accounts, name);
        TokenInstruction decoded = tag switch
        {
            TokenInstructionTag.InitializeMint => WithRent(new InitializeMint(a.At(0), r.U8(), r.Key(), r.OptionalKey()), a, 2),
            TokenInstructionTag.InitializeMint2 => new InitializeMint2(a.At(0), r.U8(), r.Key(), r.OptionalKey()),
            TokenInstructionTag.InitializeAccount => new InitializeAccount(a.At(0), a.At(1), a.At(2)).Rest(a, 4),
            TokenInstructionTag.InitializeAccount2 => new InitializeAccount2(a.At(0), a.At(1), r.Key()).Rest(a, 3),
            TokenInstructionTag.InitializeAccount3 => new InitializeAccount3(a.At(0), a.At(1), r.Key()).Rest(a, 2),
            TokenInstructionTag.InitializeMultisig => new InitializeMultisig(a.At(0), r.U8(), a.From(2)) { ProgramId = programId },
            TokenInstructionTag.InitializeMultisig2 => new InitializeMultisig2(a.At(0), r.U8(), a.From(1)) { ProgramId = programId },
            TokenInstructionTag.Transfer => new Transfer(a.At(0), a.At(1), a.At(2), r.U64()).Rest(a, 3),
            TokenInstructionTag.Approve => new Approve(a.At(0), a.At(1), a.At(2), r.U64()).Rest(a, 3),
            TokenInstructionTag.Revoke => new Revoke(a.At(0), a.At(1)).Rest(a, 2),
            TokenInstructionTag.SetAuthority => new SetAuthority(a.At(0), a.At(1), r.U8(), r.OptionalKey()).Rest(a, 2),
            TokenInstructionTag.MintTo => new MintTo(a.At(0), a.At(1), a.At(2), r.U64()).Rest(a, 3),
            TokenInstructionTag.Burn => new Burn(a.At(0), a.At(1), a.At(2), r.U64()).Rest(a, 3),
            TokenInstructionTag.CloseAccount => new CloseAccount(a.At(0), a.At(1), a.At(2)).Rest(a, 3),
            TokenInstructionTag.FreezeAccount => new FreezeAccount(a.At(0), a.At(1), a.At(2)).Rest(a, 3),
            TokenInstructionTag.ThawAccount => new ThawAccount(a.At(0), a.At(1), a.At(2)).Rest(a, 3),
            TokenInstructionTag.TransferChecked => new TransferChecked(a.At(0), a.At(1), a.At(2), a.At(3), r.U64(), r.U8()).Rest(a, 4),
            TokenInstructionTag.ApproveChecked => new ApproveChecked(a.At(0), a.At(1), a.At(2), a.At(3), r.U64(), r.U8()).Rest(a, 4),
            TokenInstructionTag.MintToChecked => new MintToChecked(a.At(0), a.At(1), a.At(2), r.U64(), r.U8()).Rest(a, 3),
            TokenInstructionTag.BurnChecked => new BurnChecked(a.At(0), a.At(1), a.At(2), r.U64(), r.U8()).Rest(a, 3),
            TokenInstructionTag.SyncNative => new SyncNative(a.At(0)).Rest(a, 1),
            TokenInstructionTag.GetAccountDataSize => new GetAccountDataSize(a.At(0), ReadExtensions(ref r)).Rest(a, 1),
            TokenInstructionTag.InitializeImmutableOwner => new InitializeImmutableOwner(a.At(0)).Rest(a, 1),
            TokenInstructionTag.AmountToUiAmount => new AmountToUiAmount(a.At(0), r.U64()).Rest(a, 1),
            TokenInstructionTag.UiAmountToAmount => new UiAmountToAmount(a.At(0), Utf8(r.Rest, name)).Rest(a, 1),
            TokenInstructionTag.TransferFeeExtension => DecodeTransferFee(ref r, a),
            TokenInstructionTag.Batch => DecodeBatch(programId, accounts, data[1..]),
            _ => throw new ProgramDecodeException($"Unknown token instruction tag {data[0]}."),
        };
        return decoded with { ProgramId = programId };
    }

    private static TokenInstruction DecodeTransferFee(ref InstructionReader r, Accounts a)
    {
        var sub = r.U8();
        return sub switch
        {
            0 => new InitializeTransferFeeConfig(a.At(0), r.OptionalKey(), r.OptionalKey(), r.U16(), r.U64()).Rest(a, 1),
            1 => new TransferCheckedWithFee(a.At(0), a.At(1), a.At(2), a.At(3), r.U64(), r.U8(), r.U64()).Rest(a, 4),
            _ => throw new ProgramDecodeException($"Transfer-fee extension instruction {sub} is not decoded (InitializeTransferFeeConfig 0 and TransferCheckedWithFee 1 are)."),
        };
    }

    private static Batch DecodeBatch(PublicKey programId, IReadOnlyList<AccountMeta> accounts, ReadOnlySpan<byte> data)
    {
        var inner = new List<TokenInstruction>();
        var accountOffset = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 2)
                throw new ProgramDecodeException("Batch: truncated instruction header.");
            int accountCount = data[offset], dataLength = data[offset + 1];
            offset += 2;
            if (data.Length - offset < dataLength || dataLength == 0)
                throw new ProgramDecodeException("Batch: truncated or empty instruction data.");
            if (accounts.Count - accountOffset < accountCount)
                throw new ProgramDecodeException("Batch: not enough accounts for its instructions.");
            if (data[offset] == (byte)TokenInstructionTag.Batch)
                throw new ProgramDecodeException("Batch: a batch cannot contain a batch.");
            var slice = accounts.Skip(accountOffset).Take(accountCount).ToArray();
            inner.Add(Decode(programId, slice, data.Slice(offset, dataLength)));
            offset += dataLength;
            accountOffset += accountCount;
        }
        if (inner.Count == 0)
            throw new ProgramDecodeException("Batch: no instructions.");
        return new Batch(inner);
    }

    private static ushort[] ReadExtensions(ref InstructionReader r)
    {
        if (r.Remaining % 2 != 0)
            throw new ProgramDecodeException("GetAccountDataSize: extension list is not a whole number of u16.");
        var extensions = new ushort[r.Remaining / 2];
        for (var i = 0; i < extensions.Length; i++)
            extensions[i] = r.U16();
        return extensions;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new ProgramDecodeException($"{name}: amount is not valid UTF-8.");
        }
    }

    private static InitializeMint WithRent(InitializeMint decoded, Accounts a, int fixedCount)
    {
        a.At(1);
        return decoded.Rest(a, fixedCount);
    }

    /// <summary>Signers (leading signer keys) and references (the rest) after the fixed accounts.</summary>
    private static T Rest<T>(this T decoded, Accounts a, int fixedCount) where T : TokenInstruction
    {
        var (signers, references) = a.Trailing(fixedCount);
        return decoded with { Signers = signers, References = references };
    }

    private readonly struct Accounts(IReadOnlyList<AccountMeta> accounts, string instruction)
    {
        public PublicKey At(int index) => index < accounts.Count
            ? accounts[index].PublicKey
            : throw new ProgramDecodeException($"{instruction}: needs at least {index + 1} accounts, has {accounts.Count}.");

        public AccountList From(int index) => new(accounts.Skip(index).Select(m => m.PublicKey));

        public (AccountList Signers, AccountList References) Trailing(int fixedCount)
        {
            var signers = new List<PublicKey>();
            var i = fixedCount;
            for (; i < accounts.Count && accounts[i].IsSigner; i++)
                signers.Add(accounts[i].PublicKey);
            return (new AccountList(signers), From(i));
        }
    }
}
