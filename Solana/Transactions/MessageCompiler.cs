using IoNet.Solana.Keys;
using IoNet.Solana.Messages;

namespace IoNet.Solana.Transactions;

/// <summary>
/// Turns instructions into a legacy or v0 message the way solana-sdk's CompiledKeys does: every key once, flags
/// merged (signer or writable anywhere makes it so), the fee payer first, then writable signers, read-only signers,
/// writable non-signers, read-only non-signers; for v0, non-signer keys that are not invoked programs move into the
/// given lookup tables (per table: writable, then read-only).
/// </summary>
public static class MessageCompiler
{
    public static Message CompileLegacy(
        PublicKey payer, IEnumerable<TransactionInstruction> instructions, Blockhash recentBlockhash,
        KeyOrdering ordering = KeyOrdering.SolanaSdk) =>
        Compile(payer, instructions, recentBlockhash, null, ordering);

    public static Message CompileV0(
        PublicKey payer, IEnumerable<TransactionInstruction> instructions, Blockhash recentBlockhash,
        IReadOnlyList<AddressLookupTableAccount>? lookupTables = null, KeyOrdering ordering = KeyOrdering.SolanaSdk) =>
        Compile(payer, instructions, recentBlockhash, lookupTables ?? [], ordering);

    private static Message Compile(
        PublicKey payer, IEnumerable<TransactionInstruction> instructionList, Blockhash recentBlockhash,
        IReadOnlyList<AddressLookupTableAccount>? lookupTables, KeyOrdering ordering)
    {
        var instructions = instructionList as IReadOnlyList<TransactionInstruction> ?? instructionList.ToList();
        var metas = new Dictionary<PublicKey, KeyFlags>();
        var order = new List<PublicKey>();

        KeyFlags Meta(PublicKey key)
        {
            if (!metas.TryGetValue(key, out var meta))
            {
                metas[key] = meta = new KeyFlags();
                order.Add(key);
            }
            return meta;
        }

        var payerMeta = Meta(payer);
        payerMeta.IsSigner = payerMeta.IsWritable = true;
        foreach (var instruction in instructions)
        {
            Meta(instruction.ProgramId).IsInvoked = true;
            foreach (var account in instruction.Accounts)
            {
                var meta = Meta(account.PublicKey);
                meta.IsSigner |= account.IsSigner;
                meta.IsWritable |= account.IsWritable;
            }
        }
        if (ordering == KeyOrdering.SolanaSdk)
            order.Sort();

        var lookups = new List<MessageAddressTableLookup>();
        var loadedWritable = new List<PublicKey>();
        var loadedReadonly = new List<PublicKey>();
        if (lookupTables is not null)
        {
            foreach (var table in lookupTables)
            {
                var writable = Drain(table, order, metas, writable: true, loadedWritable);
                var readOnly = Drain(table, order, metas, writable: false, loadedReadonly);
                if (writable.Length > 0 || readOnly.Length > 0)
                    lookups.Add(new MessageAddressTableLookup(table.Key, writable, readOnly));
            }
        }

        var statics = new List<PublicKey>(order.Count) { payer };
        byte readonlySigned = 0, readonlyUnsigned = 0;
        foreach (var (signer, writable) in (ReadOnlySpan<(bool, bool)>)[(true, true), (true, false), (false, true), (false, false)])
        {
            foreach (var key in order)
            {
                var meta = metas[key];
                if (key == payer || meta.IsSigner != signer || meta.IsWritable != writable)
                    continue;
                statics.Add(key);
                if (signer && !writable) readonlySigned++;
                if (!signer && !writable) readonlyUnsigned++;
            }
        }
        if (statics.Count > 256)
            throw new SolanaException($"A message can hold at most 256 static account keys; these instructions need {statics.Count}.");
        var numSigners = metas.Values.Count(m => m.IsSigner);
        var header = new MessageHeader((byte)numSigners, readonlySigned, readonlyUnsigned);

        var index = new Dictionary<PublicKey, byte>(statics.Count + loadedWritable.Count + loadedReadonly.Count);
        var position = 0;
        foreach (var key in statics.Concat(loadedWritable).Concat(loadedReadonly))
        {
            if (position > byte.MaxValue)
                throw new SolanaException("A message can reference at most 256 accounts.");
            index.TryAdd(key, (byte)position++);
        }

        var compiled = new CompiledInstruction[instructions.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            var instruction = instructions[i];
            var accounts = new byte[instruction.Accounts.Count];
            for (var a = 0; a < accounts.Length; a++)
                accounts[a] = index[instruction.Accounts[a].PublicKey];
            compiled[i] = new CompiledInstruction(index[instruction.ProgramId], accounts, instruction.Data.ToArray());
        }
        var version = lookupTables is null ? MessageVersion.Legacy : MessageVersion.V0;
        return new Message(version, header, statics, recentBlockhash, compiled, lookups);
    }

    /// <summary>Moves the keys of one flag group that <paramref name="table"/> holds out of the static set.</summary>
    private static byte[] Drain(
        AddressLookupTableAccount table, List<PublicKey> order, Dictionary<PublicKey, KeyFlags> metas, bool writable, List<PublicKey> loaded)
    {
        var indexes = new List<byte>();
        for (var i = 0; i < order.Count; i++)
        {
            var key = order[i];
            var meta = metas[key];
            if (meta.IsSigner || meta.IsInvoked || meta.IsWritable != writable)
                continue;
            var found = IndexOf(table.Addresses, key);
            if (found < 0)
                continue;
            if (found > byte.MaxValue)
                throw new SolanaException($"Key {key} sits at index {found} of lookup table {table.Key}; only 0..255 can be referenced.");
            indexes.Add((byte)found);
            loaded.Add(key);
            order.RemoveAt(i--);
            metas.Remove(key);
        }
        return [.. indexes];
    }

    private static int IndexOf(IReadOnlyList<PublicKey> addresses, PublicKey key)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            if (addresses[i] == key)
                return i;
        }
        return -1;
    }

    private sealed class KeyFlags
    {
        public bool IsSigner;
        public bool IsWritable;
        public bool IsInvoked;
    }
}
