using IoNet.Programs.Decoding;
using IoNet.Programs.Memo;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.SolanaPay;

/// <summary>
/// The transfer a wallet makes for a <see cref="TransferRequest"/>: the memo (if any) second to last, the transfer
/// last, its references appended to the transfer as read-only non-signers in the request's order.
/// </summary>
public static class SolanaPayTransfer
{
    public const byte SolDecimals = 9;

    /// <param name="sender">The paying wallet (it signs; for SPL, its associated token account pays).</param>
    /// <param name="decimals">The mint's decimals (ignored for SOL, which has 9).</param>
    public static IReadOnlyList<TransactionInstruction> Build(PublicKey sender, TransferRequest request, byte decimals = SolDecimals, PublicKey? tokenProgram = null)
    {
        var amountText = request.Amount ?? throw new ProgramDecodeException("The request has no amount: ask the payer for one first.");
        var instructions = new List<TransactionInstruction>(2);
        if (request.Memo is not null)
            instructions.Add(MemoInstruction.Of(request.Memo).Build());
        var references = new AccountList(request.ReferenceKeys);
        if (request.SplToken is { } mint)
        {
            var program = tokenProgram ?? WellKnownPrograms.Token;
            var amount = TokenAmount.ToBaseUnits(amountText, decimals);
            instructions.Add(new TransferChecked(
                AssociatedTokenAccount.Find(sender, mint, program), mint, AssociatedTokenAccount.Find(request.Recipient, mint, program),
                sender, amount, decimals) { ProgramId = program, References = references }.Build());
        }
        else
        {
            var transfer = new SystemTransfer(sender, request.Recipient, TokenAmount.ToBaseUnits(amountText, SolDecimals)).Build();
            instructions.Add(transfer with { Accounts = [.. transfer.Accounts, .. references.Select(r => AccountMeta.ReadOnly(r))] });
        }
        return instructions;
    }
}
