using System.Text;
using IoNet.Programs.Decoding;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Memo;

/// <summary>An SPL Memo (v2 by default; v1 for old transactions): UTF-8 text, optionally with signers who vouch for it.</summary>
public sealed record MemoInstruction(string Text, AccountList Signers, bool V1 = false)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static MemoInstruction Of(string text, params PublicKey[] signers) => new(text, signers);

    public PublicKey ProgramId => V1 ? WellKnownPrograms.MemoV1 : WellKnownPrograms.Memo;

    public TransactionInstruction Build() =>
        new(ProgramId, Signers.Select(s => AccountMeta.ReadOnly(s, isSigner: true)).ToArray(), StrictUtf8.GetBytes(Text));

    public static bool IsMemoProgram(PublicKey programId) => programId == WellKnownPrograms.Memo || programId == WellKnownPrograms.MemoV1;

    public static MemoInstruction Decode(PublicKey programId, IReadOnlyList<AccountMeta> accounts, ReadOnlySpan<byte> data)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new ProgramDecodeException("Memo: not valid UTF-8 (the program would reject it).");
        }
        return new MemoInstruction(text, new AccountList(accounts.Select(a => a.PublicKey)), programId == WellKnownPrograms.MemoV1);
    }
}
