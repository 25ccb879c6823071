using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.Solana.Wire;

namespace IoNet.Programs.Decoding;

/// <summary>
/// Turns a getTransaction result (json, base64 or base58 encoding) into typed instructions in execution order:
/// each top-level instruction followed by its inner instructions, with lookup-table keys resolved. Pure: no I/O.
/// </summary>
public static class TransactionDecoder
{
    public static DecodedTransaction Decode(TransactionResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var encoded = response.Transaction ?? throw new SolanaException("The response has no transaction.");
        var transaction = encoded.ToTransaction(response.Version);
        var message = transaction.Message;
        var meta = response.Meta;

        var loaded = meta?.LoadedAddresses;
        var keys = message.Version == MessageVersion.V0
            ? message.ResolveAccountKeys(
                (loaded?.Writable ?? []).Select(PublicKey.Parse).ToArray(),
                (loaded?.Readonly ?? []).Select(PublicKey.Parse).ToArray())
            : message.AccountKeys;
        var metas = new AccountMeta[keys.Count];
        for (var i = 0; i < metas.Length; i++)
            metas[i] = new AccountMeta(keys[i], message.IsSigner(i), message.IsWritable(i));

        var innerByIndex = (meta?.InnerInstructions ?? []).ToDictionary(g => g.Index, g => g.Instructions);
        var decoded = new List<DecodedInstruction>();
        for (var i = 0; i < message.Instructions.Count; i++)
        {
            var top = message.Instructions[i];
            decoded.Add(Make(i.ToString(System.Globalization.CultureInfo.InvariantCulture), null, top.ProgramIdIndex, top.Accounts.Span, top.Data, metas));
            if (!innerByIndex.TryGetValue(i, out var inner))
                continue;
            for (var j = 0; j < inner.Count; j++)
            {
                var ix = inner[j];
                if (ix.ProgramIdIndex is not { } program || ix.Accounts is null || ix.Data is null)
                    throw new SolanaException($"Inner instruction {i}.{j} is not in compiled form (ask for json or base64 encoding).");
                var accounts = new byte[ix.Accounts.Count];
                for (var k = 0; k < accounts.Length; k++)
                {
                    var a = ix.Accounts[k];
                    accounts[k] = a is >= 0 and < 256 ? (byte)a : throw new SolanaException($"Inner instruction {i}.{j}: account index {a} out of range.");
                }
                decoded.Add(Make($"{i}.{j}", ix.StackHeight, program, accounts, Base58.Decode(ix.Data), metas));
            }
        }
        var tokenAccounts = new Dictionary<PublicKey, TokenAccountInfo>();
        // Pre and post balances name the same mints and owners: each text is parsed once.
        var parsedKeys = new List<(string Text, PublicKey Key)>();
        AddTokenAccounts(meta?.PreTokenBalances, keys, tokenAccounts, parsedKeys);
        AddTokenAccounts(meta?.PostTokenBalances, keys, tokenAccounts, parsedKeys);
        return new DecodedTransaction(
            transaction.Id, response.Slot, response.BlockTime, meta?.Err is null, meta?.Err?.ToString(),
            keys, decoded, meta?.LogMessages ?? []) { TokenAccounts = tokenAccounts, TokenBalanceChanges = BalanceChanges(meta, keys) };
    }

    private static Dictionary<PublicKey, TokenBalanceChange>? BalanceChanges(TransactionMeta? meta, IReadOnlyList<PublicKey> keys)
    {
        if (meta?.PreTokenBalances is null || meta.PostTokenBalances is null)
            return null;
        var changes = new Dictionary<PublicKey, TokenBalanceChange>();
        foreach (var pre in meta.PreTokenBalances)
        {
            var key = keys[pre.AccountIndex];
            changes[key] = new TokenBalanceChange(pre.UiTokenAmount.BaseUnits, changes.GetValueOrDefault(key)?.Post ?? 0);
        }
        foreach (var post in meta.PostTokenBalances)
        {
            var key = keys[post.AccountIndex];
            changes[key] = new TokenBalanceChange(changes.GetValueOrDefault(key)?.Pre ?? 0, post.UiTokenAmount.BaseUnits);
        }
        return changes;
    }

    private static void AddTokenAccounts(
        IReadOnlyList<TokenBalance>? balances, IReadOnlyList<PublicKey> keys, Dictionary<PublicKey, TokenAccountInfo> tokenAccounts, List<(string Text, PublicKey Key)> parsed)
    {
        if (balances is null)
            return;
        foreach (var balance in balances)
        {
            if (balance.AccountIndex < 0 || balance.AccountIndex >= keys.Count)
                throw new SolanaException($"Token balance names account index {balance.AccountIndex} outside the {keys.Count} accounts.");
            tokenAccounts[keys[balance.AccountIndex]] = new TokenAccountInfo(
                Parse(balance.Mint, parsed), balance.Owner is null ? null : Parse(balance.Owner, parsed), (byte)balance.UiTokenAmount.Decimals);
        }
    }

    private static PublicKey Parse(string text, List<(string Text, PublicKey Key)> parsed)
    {
        foreach (var (t, k) in parsed)
        {
            if (string.Equals(t, text, StringComparison.Ordinal))
                return k;
        }
        var key = PublicKey.Parse(text);
        parsed.Add((text, key));
        return key;
    }

    private static DecodedInstruction Make(string path, int? stackHeight, int programIndex, ReadOnlySpan<byte> accountIndexes, ReadOnlyMemory<byte> data, AccountMeta[] metas)
    {
        if ((uint)programIndex >= metas.Length)
            throw new SolanaException($"Instruction {path}: program index {programIndex} outside the {metas.Length} accounts.");
        var accounts = new AccountMeta[accountIndexes.Length];
        for (var k = 0; k < accounts.Length; k++)
        {
            var index = accountIndexes[k];
            accounts[k] = index < metas.Length ? metas[index] : throw new SolanaException($"Instruction {path}: account index {index} outside the {metas.Length} accounts.");
        }
        var programId = metas[programIndex].PublicKey;
        return new DecodedInstruction(path, stackHeight, programId, accounts, data, InstructionDecoder.Decode(programId, accounts, data.Span));
    }
}
