using System.Text.Json;
using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;

namespace IoNet.Solana.Tests.Vectors;

/// <summary>One transaction that @solana/web3.js compiled, signed and serialized (localnet/scripts/web3-vectors.mjs).</summary>
internal sealed record Web3Case(
    string Name,
    bool IsV0,
    byte[][] SignerSeeds,
    int[] SignedBy,
    bool Partial,
    PublicKey Payer,
    Blockhash RecentBlockhash,
    TransactionInstruction[] Instructions,
    AddressLookupTableAccount[] LookupTables,
    byte[] Message,
    Signature[] Signatures,
    byte[] Transaction)
{
    public Keypair[] Signers() => [.. SignerSeeds.Select(s => Keypair.FromSeed(s))];

    public Message Compile(KeyOrdering ordering) => IsV0
        ? MessageCompiler.CompileV0(Payer, Instructions, RecentBlockhash, LookupTables, ordering)
        : MessageCompiler.CompileLegacy(Payer, Instructions, RecentBlockhash, ordering);

    public override string ToString() => Name;
}

/// <summary>tests/Solana.Tests/Vectors/web3-transactions.json, loaded once.</summary>
internal static class Web3Vectors
{
    public static IReadOnlyList<Web3Case> All { get; } = Load();

    private static Web3Case[] Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.RepoFile("tests", "Solana.Tests", "Vectors", "web3-transactions.json")));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(Case)];
    }

    private static Web3Case Case(JsonElement c) => new(
        c.GetProperty("name").GetString()!,
        c.GetProperty("version").ValueKind == JsonValueKind.Number,
        [.. c.GetProperty("signerSeeds").EnumerateArray().Select(Hex)],
        [.. c.GetProperty("signedBy").EnumerateArray().Select(i => i.GetInt32())],
        c.GetProperty("partial").GetBoolean(),
        Key(c.GetProperty("payer")),
        Blockhash.Parse(c.GetProperty("recentBlockhash").GetString()!),
        [.. c.GetProperty("instructions").EnumerateArray().Select(Instruction)],
        [.. c.GetProperty("lookupTables").EnumerateArray().Select(t =>
            new AddressLookupTableAccount(Key(t.GetProperty("key")), [.. t.GetProperty("addresses").EnumerateArray().Select(Key)]))],
        Hex(c.GetProperty("message")),
        [.. c.GetProperty("signatures").EnumerateArray().Select(s => Signature.Parse(s.GetString()!))],
        Convert.FromBase64String(c.GetProperty("transaction").GetString()!));

    private static TransactionInstruction Instruction(JsonElement i) => new(
        Key(i.GetProperty("programId")),
        [.. i.GetProperty("keys").EnumerateArray().Select(k => new AccountMeta(Key(k[0]), k[1].GetBoolean(), k[2].GetBoolean()))],
        Hex(i.GetProperty("data")));

    private static PublicKey Key(JsonElement e) => PublicKey.Parse(e.GetString()!);

    private static byte[] Hex(JsonElement e) => Convert.FromHexString(e.GetString()!);
}

/// <summary>Reads a compiled message back into what it means: full key list and instructions with flags.</summary>
internal static class Decompiled
{
    public sealed record Meta(PublicKey Key, bool IsSigner, bool IsWritable);

    public sealed record Instruction(PublicKey ProgramId, IReadOnlyList<Meta> Accounts, byte[] Data)
    {
        public bool Equals(Instruction? other) => other is not null && ProgramId == other.ProgramId
            && Accounts.SequenceEqual(other.Accounts) && Data.AsSpan().SequenceEqual(other.Data);

        public override int GetHashCode() => ProgramId.GetHashCode();

        public override string ToString() =>
            $"{ProgramId}({string.Join(", ", Accounts.Select(a => $"{a.Key}{(a.IsSigner ? " s" : "")}{(a.IsWritable ? " w" : "")}"))}; {Convert.ToHexString(Data)})";
    }

    /// <summary>Static keys, then the keys each lookup loads (writable, then read-only), resolved from <paramref name="tables"/>.</summary>
    public static IReadOnlyList<PublicKey> Keys(Message message, IReadOnlyList<AddressLookupTableAccount> tables)
    {
        var writable = new List<PublicKey>();
        var readOnly = new List<PublicKey>();
        foreach (var lookup in message.AddressTableLookups)
        {
            var table = tables.Single(t => t.Key == lookup.AccountKey);
            writable.AddRange(lookup.WritableIndexes.ToArray().Select(i => table.Addresses[i]));
            readOnly.AddRange(lookup.ReadonlyIndexes.ToArray().Select(i => table.Addresses[i]));
        }
        return message.ResolveAccountKeys(writable, readOnly);
    }

    public static Instruction[] Instructions(Message message, IReadOnlyList<AddressLookupTableAccount> tables)
    {
        var keys = Keys(message, tables);
        return [.. message.Instructions.Select(i => new Instruction(
            keys[i.ProgramIdIndex],
            [.. i.Accounts.ToArray().Select(a => new Meta(keys[a], message.IsSigner(a), message.IsWritable(a)))],
            i.Data.ToArray()))];
    }

    /// <summary>Per lookup table: the keys it loads as writable and as read-only, as sets.</summary>
    public static Dictionary<PublicKey, (HashSet<PublicKey> Writable, HashSet<PublicKey> ReadOnly)> Loaded(
        Message message, IReadOnlyList<AddressLookupTableAccount> tables) =>
        message.AddressTableLookups.ToDictionary(l => l.AccountKey, l =>
        {
            var table = tables.Single(t => t.Key == l.AccountKey);
            return (l.WritableIndexes.ToArray().Select(i => table.Addresses[i]).ToHashSet(),
                l.ReadonlyIndexes.ToArray().Select(i => table.Addresses[i]).ToHashSet());
        });

    /// <summary>The static keys in their four groups: writable signers, read-only signers, writable and read-only non-signers.</summary>
    public static HashSet<PublicKey>[] Groups(Message message)
    {
        var groups = new HashSet<PublicKey>[] { [], [], [], [] };
        for (var i = 0; i < message.AccountKeys.Count; i++)
            groups[(message.IsSigner(i) ? 0 : 2) + (message.IsWritable(i) ? 0 : 1)].Add(message.AccountKeys[i]);
        return groups;
    }
}
