using IoNet.Solana.Wire;
using IoNet.Solana.Keys;

namespace IoNet.Solana.Messages;

/// <summary>
/// A legacy or v0 message: what a transaction's signatures sign. Immutable; its wire bytes are kept once known, so
/// signing and verifying use exactly the bytes that travel.
/// </summary>
public sealed class Message
{
    private const byte VersionPrefix = 0x80;

    // A parsed message's bytes: a slice of the buffer it was read from (set before the message is visible to anyone).
    private ReadOnlyMemory<byte> _read;

    // A built message's bytes, written on first use (a reference, so a racing first use only writes them twice).
    private byte[]? _written;

    public Message(
        MessageVersion version,
        MessageHeader header,
        IReadOnlyList<PublicKey> accountKeys,
        Blockhash recentBlockhash,
        IReadOnlyList<CompiledInstruction> instructions,
        IReadOnlyList<MessageAddressTableLookup>? addressTableLookups = null)
    {
        if (version == MessageVersion.Legacy && addressTableLookups is { Count: > 0 })
            throw new SolanaException("A legacy message cannot have address table lookups.");
        Version = version;
        Header = header;
        AccountKeys = accountKeys;
        RecentBlockhash = recentBlockhash;
        Instructions = instructions;
        AddressTableLookups = addressTableLookups ?? [];
        Sanitize();
    }

    public MessageVersion Version { get; }
    public MessageHeader Header { get; }

    /// <summary>The static account keys (for v0, lookups add more after these).</summary>
    public IReadOnlyList<PublicKey> AccountKeys { get; }

    public Blockhash RecentBlockhash { get; }
    public IReadOnlyList<CompiledInstruction> Instructions { get; }
    public IReadOnlyList<MessageAddressTableLookup> AddressTableLookups { get; }

    public PublicKey FeePayer => AccountKeys[0];

    /// <summary>Accounts loaded through lookup tables, writable then read-only.</summary>
    public int LoadedWritableCount => AddressTableLookups.Sum(l => l.WritableIndexes.Length);

    public int LoadedReadonlyCount => AddressTableLookups.Sum(l => l.ReadonlyIndexes.Length);

    /// <summary>Static keys plus every key the lookups load.</summary>
    public int TotalAccountCount => AccountKeys.Count + LoadedWritableCount + LoadedReadonlyCount;

    /// <summary>Whether account <paramref name="index"/> (in the full list) must sign.</summary>
    public bool IsSigner(int index) => index < Header.NumRequiredSignatures;

    /// <summary>
    /// Whether account <paramref name="index"/> is writable as the header and lookups say. (The runtime further
    /// demotes reserved accounts and invoked programs; that needs the chain's feature set and is not done here.)
    /// </summary>
    public bool IsWritable(int index)
    {
        var statics = AccountKeys.Count;
        if (index < statics)
        {
            int required = Header.NumRequiredSignatures;
            return index < required
                ? index < required - Header.NumReadonlySignedAccounts
                : index < statics - Header.NumReadonlyUnsignedAccounts;
        }
        return index < statics + LoadedWritableCount;
    }

    /// <summary>The full account list of a v0 message once its lookups are resolved: static, loaded writable, loaded read-only.</summary>
    public IReadOnlyList<PublicKey> ResolveAccountKeys(IReadOnlyList<PublicKey> loadedWritable, IReadOnlyList<PublicKey> loadedReadonly)
    {
        if (loadedWritable.Count != LoadedWritableCount || loadedReadonly.Count != LoadedReadonlyCount)
            throw new SolanaException(
                $"The lookups load {LoadedWritableCount} writable and {LoadedReadonlyCount} read-only keys, not {loadedWritable.Count} and {loadedReadonly.Count}.");
        return [.. AccountKeys, .. loadedWritable, .. loadedReadonly];
    }

    public int SerializedLength => Bytes.Length;

    /// <summary>The message's wire bytes (what is signed).</summary>
    public ReadOnlySpan<byte> Bytes => _read.IsEmpty ? _written ??= Write() : _read.Span;

    public byte[] Serialize() => Bytes.ToArray();

    public static Message Deserialize(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        var offset = 0;
        var message = Read(copy, ref offset);
        if (offset != copy.Length)
            throw new SolanaException($"{copy.Length - offset} unexpected bytes after the message.");
        return message;
    }

    /// <summary>
    /// Reads a message from <paramref name="buffer"/> at <paramref name="offset"/>; slices of the buffer become its
    /// instruction data and its bytes, so the buffer must never change afterwards.
    /// </summary>
    internal static Message Read(byte[] buffer, ref int offset)
    {
        var start = offset;
        var span = buffer.AsSpan();
        if (offset >= span.Length)
            throw new SolanaException("Truncated message: no header.");
        var version = MessageVersion.Legacy;
        if ((span[offset] & VersionPrefix) != 0)
        {
            var number = span[offset] & 0x7F;
            if (number != 0)
                throw new SolanaException($"Unsupported message version {number} (prefix 0x{span[offset]:x2}); only legacy and v0 are known.");
            version = MessageVersion.V0;
            offset++;
        }
        var header = new MessageHeader(ReadByte(span, ref offset), ReadByte(span, ref offset), ReadByte(span, ref offset));

        // Every count is checked against the bytes left before its array is allocated: a short message that claims
        // 65535 keys or instructions is refused without allocating for them.
        var keyCount = ShortVec.Read(span, ref offset);
        Fits(span, offset, keyCount, PublicKey.Length, "account keys", extra: Blockhash.Length);
        var keys = new PublicKey[keyCount];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = new PublicKey(Take(span, ref offset, PublicKey.Length, "account key"));
        var blockhash = new Blockhash(Take(span, ref offset, Blockhash.Length, "recent blockhash"));

        var instructionCount = ShortVec.Read(span, ref offset);
        // An instruction is at least 3 bytes: its program index and two empty lengths.
        Fits(span, offset, instructionCount, 3, "instructions");
        var instructions = new CompiledInstruction[instructionCount];
        for (var i = 0; i < instructions.Length; i++)
        {
            var program = ReadByte(span, ref offset);
            var accounts = Slice(buffer, ref offset, ShortVec.Read(span, ref offset), "instruction accounts");
            var data = Slice(buffer, ref offset, ShortVec.Read(span, ref offset), "instruction data");
            instructions[i] = new CompiledInstruction(program, accounts, data);
        }

        MessageAddressTableLookup[] lookups = [];
        if (version == MessageVersion.V0)
        {
            var lookupCount = ShortVec.Read(span, ref offset);
            // A lookup is at least its table's key and two empty lengths.
            Fits(span, offset, lookupCount, PublicKey.Length + 2, "address table lookups");
            lookups = new MessageAddressTableLookup[lookupCount];
            for (var i = 0; i < lookups.Length; i++)
            {
                var table = new PublicKey(Take(span, ref offset, PublicKey.Length, "lookup table key"));
                var writable = Slice(buffer, ref offset, ShortVec.Read(span, ref offset), "lookup writable indexes");
                var readOnly = Slice(buffer, ref offset, ShortVec.Read(span, ref offset), "lookup read-only indexes");
                lookups[i] = new MessageAddressTableLookup(table, writable, readOnly);
            }
        }
        return new Message(version, header, keys, blockhash, instructions, lookups)
        {
            _read = new ReadOnlyMemory<byte>(buffer, start, offset - start),
        };
    }

    /// <summary>The structural rules solana-sdk's sanitize enforces; a message that breaks them is refused.</summary>
    private void Sanitize()
    {
        var statics = AccountKeys.Count;
        if (statics > 256)
            throw new SolanaException($"A message has at most 256 static account keys, not {statics}.");
        if (Header.NumRequiredSignatures == 0)
            throw new SolanaException("A message needs at least one signer (the fee payer).");
        if (Header.NumRequiredSignatures + Header.NumReadonlyUnsignedAccounts > statics)
            throw new SolanaException($"The header names {Header.NumRequiredSignatures} signers and {Header.NumReadonlyUnsignedAccounts} read-only unsigned accounts, but there are only {statics} keys.");
        if (Header.NumReadonlySignedAccounts >= Header.NumRequiredSignatures)
            throw new SolanaException("The fee payer must be a writable signer: too many read-only signers in the header.");
        var total = statics;
        for (var i = 0; i < AddressTableLookups.Count; i++)
        {
            var lookup = AddressTableLookups[i];
            if (lookup.WritableIndexes.IsEmpty && lookup.ReadonlyIndexes.IsEmpty)
                throw new SolanaException($"Lookup of table {lookup.AccountKey} loads no accounts.");
            total += lookup.WritableIndexes.Length + lookup.ReadonlyIndexes.Length;
        }
        if (total > 256)
            throw new SolanaException($"A message can reference at most 256 accounts, not {total}.");
        for (var i = 0; i < Instructions.Count; i++)
        {
            var instruction = Instructions[i];
            // Program ids must be static keys (never loaded) and never the fee payer.
            if (instruction.ProgramIdIndex == 0 || instruction.ProgramIdIndex >= statics)
                throw new SolanaException($"Instruction {i} names program index {instruction.ProgramIdIndex}, outside 1..{statics - 1}.");
            foreach (var account in instruction.Accounts.Span)
            {
                if (account >= total)
                    throw new SolanaException($"Instruction {i} names account index {account}, but the message has {total} accounts.");
            }
        }
    }

    private byte[] Write()
    {
        var length = (Version == MessageVersion.V0 ? 1 : 0) + 3
            + ShortVec.EncodedLength(AccountKeys.Count) + AccountKeys.Count * PublicKey.Length + Blockhash.Length
            + ShortVec.EncodedLength(Instructions.Count);
        foreach (var instruction in Instructions)
            length += 1 + ShortVec.EncodedLength(instruction.Accounts.Length) + instruction.Accounts.Length
                + ShortVec.EncodedLength(instruction.Data.Length) + instruction.Data.Length;
        if (Version == MessageVersion.V0)
        {
            length += ShortVec.EncodedLength(AddressTableLookups.Count);
            foreach (var lookup in AddressTableLookups)
                length += PublicKey.Length + ShortVec.EncodedLength(lookup.WritableIndexes.Length) + lookup.WritableIndexes.Length
                    + ShortVec.EncodedLength(lookup.ReadonlyIndexes.Length) + lookup.ReadonlyIndexes.Length;
        }

        var bytes = new byte[length];
        var span = bytes.AsSpan();
        var offset = 0;
        if (Version == MessageVersion.V0)
            span[offset++] = VersionPrefix;
        span[offset++] = Header.NumRequiredSignatures;
        span[offset++] = Header.NumReadonlySignedAccounts;
        span[offset++] = Header.NumReadonlyUnsignedAccounts;
        offset += ShortVec.Write(span[offset..], AccountKeys.Count);
        foreach (var key in AccountKeys)
        {
            key.WriteTo(span[offset..]);
            offset += PublicKey.Length;
        }
        RecentBlockhash.Bytes.CopyTo(span[offset..]);
        offset += Blockhash.Length;
        offset += ShortVec.Write(span[offset..], Instructions.Count);
        foreach (var instruction in Instructions)
        {
            span[offset++] = instruction.ProgramIdIndex;
            offset += WriteVector(span[offset..], instruction.Accounts.Span);
            offset += WriteVector(span[offset..], instruction.Data.Span);
        }
        if (Version == MessageVersion.V0)
        {
            offset += ShortVec.Write(span[offset..], AddressTableLookups.Count);
            foreach (var lookup in AddressTableLookups)
            {
                lookup.AccountKey.WriteTo(span[offset..]);
                offset += PublicKey.Length;
                offset += WriteVector(span[offset..], lookup.WritableIndexes.Span);
                offset += WriteVector(span[offset..], lookup.ReadonlyIndexes.Span);
            }
        }
        return bytes;
    }

    private static int WriteVector(Span<byte> destination, ReadOnlySpan<byte> items)
    {
        var n = ShortVec.Write(destination, items.Length);
        items.CopyTo(destination[n..]);
        return n + items.Length;
    }

    /// <summary>Throws unless <paramref name="count"/> items of at least <paramref name="size"/> bytes (and <paramref name="extra"/> after them) fit in what is left.</summary>
    private static void Fits(ReadOnlySpan<byte> span, int offset, int count, int size, string what, int extra = 0)
    {
        var needed = (long)count * size + extra;
        if (needed > span.Length - offset)
            throw new SolanaException($"Truncated message: {count} {what} need at least {needed} bytes, {span.Length - offset} left.");
    }

    private static byte ReadByte(ReadOnlySpan<byte> span, ref int offset) =>
        offset < span.Length ? span[offset++] : throw new SolanaException("Truncated message header or instruction.");

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> span, ref int offset, int length, string what)
    {
        if (span.Length - offset < length)
            throw new SolanaException($"Truncated message: {what} needs {length} bytes, {span.Length - offset} left.");
        var slice = span.Slice(offset, length);
        offset += length;
        return slice;
    }

    private static ReadOnlyMemory<byte> Slice(byte[] buffer, ref int offset, int length, string what)
    {
        if (buffer.Length - offset < length)
            throw new SolanaException($"Truncated message: {what} needs {length} bytes, {buffer.Length - offset} left.");
        var slice = new ReadOnlyMemory<byte>(buffer, offset, length);
        offset += length;
        return slice;
    }
}
