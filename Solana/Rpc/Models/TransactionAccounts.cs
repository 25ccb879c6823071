namespace IoNet.Solana.Rpc;

/// <summary>Resolves account indexes of a json-encoded transaction: static keys, then loaded writable, then loaded readonly.</summary>
public static class TransactionAccounts
{
    /// <summary>All account keys in index order. jsonParsed messages already list loaded keys (source "lookupTable").</summary>
    public static IReadOnlyList<string> Resolve(UiMessage message, TransactionMeta? meta)
    {
        var loaded = meta?.LoadedAddresses;
        var keys = new List<string>(message.AccountKeys.Count + (loaded is null ? 0 : loaded.Writable.Count + loaded.Readonly.Count));
        foreach (var key in message.AccountKeys)
            keys.Add(key.Pubkey);
        var alreadyResolved = message.AccountKeys.Any(k => k.Source == "lookupTable");
        if (loaded is not null && !alreadyResolved)
        {
            keys.AddRange(loaded.Writable);
            keys.AddRange(loaded.Readonly);
        }
        return keys;
    }

    /// <summary>The program address an instruction invokes, in any of its forms.</summary>
    public static string ProgramIdOf(UiInstruction instruction, IReadOnlyList<string> keys)
    {
        if (instruction.ProgramId is { } id)
            return id;
        if (instruction.ProgramIdIndex is { } index && index >= 0 && index < keys.Count)
            return keys[index];
        throw new SolanaException($"Instruction program index {instruction.ProgramIdIndex} is outside the {keys.Count} account keys.");
    }
}
