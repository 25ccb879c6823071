using IoNet.Programs.Decoding;
using IoNet.Programs.Memo;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;

namespace IoNet.Programs.SolanaPay;

/// <summary>What a payment on chain did, checked against its request.</summary>
public sealed record PaymentCheck(Signature Signature, bool IsValid, ulong Received, IReadOnlyList<string> Problems);

/// <summary>
/// Finds the payment for a reference key and checks it against the request, from the chain's own record:
/// success, the recipient's balance change in the requested mint, the references on the transfer, and the memo.
/// </summary>
public static class PaymentValidation
{
    /// <summary>The oldest confirmed transaction naming <paramref name="reference"/>, or null when none exists yet.</summary>
    public static async Task<Signature?> FindReferenceAsync(SolanaRpcClient rpc, PublicKey reference, Commitment? commitment, CancellationToken ct)
    {
        string? before = null;
        SignatureInfo? oldest = null;
        while (true)
        {
            var page = await rpc.GetSignaturesForAddressAsync(reference.ToString(), new SignaturesForAddressOptions { Before = before, Limit = 1000, Commitment = commitment }, ct).ConfigureAwait(false);
            if (page.Count == 0)
                break;
            oldest = page[^1];
            if (page.Count < 1000)
                break;
            before = oldest.Signature;
        }
        return oldest is null ? null : Signature.Parse(oldest.Signature);
    }

    public static async Task<PaymentCheck> ValidateAsync(
        SolanaRpcClient rpc, Signature signature, TransferRequest request, byte decimals, Commitment? commitment, CancellationToken ct)
    {
        var response = await rpc.GetTransactionAsync(signature.ToString(), TransactionEncoding.Json, commitment, ct).ConfigureAwait(false)
            ?? throw new ProgramDecodeException($"Transaction {signature} was not found.");
        return Validate(response, request, decimals);
    }

    /// <summary>The pure check on a fetched transaction.</summary>
    public static PaymentCheck Validate(TransactionResponse response, TransferRequest request, byte decimals = SolanaPayTransfer.SolDecimals)
    {
        var decoded = TransactionDecoder.Decode(response);
        var problems = new List<string>();
        if (!decoded.Succeeded)
            problems.Add($"the transaction failed: {decoded.Error}");
        var meta = response.Meta ?? throw new ProgramDecodeException("The transaction has no meta: cannot see its balances.");
        var expected = request.Amount is null ? 0 : TokenAmount.ToBaseUnits(request.Amount, request.SplToken is null ? SolanaPayTransfer.SolDecimals : decimals);

        ulong received;
        IReadOnlyList<PublicKey> transferReferences;
        var topLevel = decoded.Instructions.Where(i => i.IsTopLevel).ToList();
        if (request.SplToken is { } mint)
        {
            var program = topLevel.Select(i => i.Instruction).OfType<TokenInstruction>().FirstOrDefault()?.ProgramId ?? WellKnownPrograms.Token;
            var recipientAccount = AssociatedTokenAccount.Find(request.Recipient, mint, program);
            var index = IndexOf(decoded.AccountKeys, recipientAccount);
            received = index < 0 ? 0 : Delta(meta.PreTokenBalances, meta.PostTokenBalances, index, mint.ToString());
            var transfer = topLevel.LastOrDefault()?.Instruction as TokenInstruction;
            if (transfer is not (TransferChecked or IoNet.Programs.Token.Transfer))
                problems.Add("the last instruction is not a token transfer");
            if (transfer is TransferChecked checkedTransfer && checkedTransfer.Mint != mint)
                problems.Add($"the transfer moves mint {checkedTransfer.Mint}, not {mint}");
            transferReferences = transfer?.References ?? AccountList.Empty;
        }
        else
        {
            var index = IndexOf(decoded.AccountKeys, request.Recipient);
            received = index < 0 || meta.PostBalances[index] < meta.PreBalances[index] ? 0 : meta.PostBalances[index] - meta.PreBalances[index];
            var last = topLevel.LastOrDefault();
            if (last?.Instruction is not SystemTransfer)
                problems.Add("the last instruction is not a SOL transfer");
            transferReferences = last is null ? [] : last.Accounts.Skip(2).Select(a => a.PublicKey).ToArray();
        }

        if (received < expected)
            problems.Add($"the recipient received {received} base units, {expected} were requested");
        foreach (var reference in request.ReferenceKeys)
        {
            if (!transferReferences.Contains(reference))
                problems.Add($"reference {reference} is not on the transfer");
        }
        if (request.Memo is not null)
        {
            var memo = topLevel.Count >= 2 ? topLevel[^2].Instruction as MemoInstruction : null;
            if (memo?.Text != request.Memo)
                problems.Add($"the memo before the transfer is '{memo?.Text}', not '{request.Memo}'");
        }
        return new PaymentCheck(decoded.Signature, problems.Count == 0, received, problems);
    }

    private static int IndexOf(IReadOnlyList<PublicKey> keys, PublicKey key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] == key)
                return i;
        }
        return -1;
    }

    private static ulong Delta(IReadOnlyList<TokenBalance>? pre, IReadOnlyList<TokenBalance>? post, int index, string mint)
    {
        static ulong Amount(IReadOnlyList<TokenBalance>? balances, int index, string mint) =>
            balances?.FirstOrDefault(b => b.AccountIndex == index && b.Mint == mint)?.UiTokenAmount.BaseUnits ?? 0;
        var before = Amount(pre, index, mint);
        var after = Amount(post, index, mint);
        return after > before ? after - before : 0;
    }
}
