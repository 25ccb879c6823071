using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;
using IoNet.Solana.Wire;
using SdkHeader = IoNet.Solana.Messages.MessageHeader;

namespace IoNet.Solana.Rpc;

/// <summary>
/// From an RPC transaction (json, base64 or base58 encoding) to the SDK's <see cref="Transaction"/>, so that every
/// encoding of one transaction ends as the same message. jsonParsed cannot: its parsed instructions drop their
/// bytes, so it is refused with a clear error.
/// </summary>
public static class TransactionDecoding
{
    public static Transaction ToTransaction(this EncodedTransaction encoded, TransactionVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        switch (encoded.Encoding)
        {
            case TransactionEncoding.Base64:
            case TransactionEncoding.Base58:
                return Transaction.Deserialize(encoded.WireBytes ?? throw new SolanaException("The encoded transaction has no bytes."));
            case TransactionEncoding.Json:
                var message = encoded.Message ?? throw new SolanaException("The json transaction has no message.");
                var signatures = (encoded.Signatures ?? []).Select(Signature.Parse).ToArray();
                return new Transaction(message.ToMessage(version), signatures);
            default:
                throw new SolanaException("A jsonParsed transaction cannot be turned back into its message (parsed instructions carry no bytes); ask for json or base64.");
        }
    }

    /// <summary>The SDK message of a json-encoded message. Without a known version, lookups present means v0.</summary>
    public static Message ToMessage(this UiMessage message, TransactionVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var header = message.Header ?? throw new SolanaException("The message has no header (jsonParsed?).");
        var isV0 = version is { } v ? !v.IsLegacy : message.AddressTableLookups is not null;
        if (version is { Number: > 0 } unknown)
            throw new SolanaException($"Unsupported transaction version {unknown}.");
        var keys = message.AccountKeys.Select(k => PublicKey.Parse(k.Pubkey)).ToArray();
        var instructions = new CompiledInstruction[message.Instructions.Count];
        for (var i = 0; i < instructions.Length; i++)
        {
            var ix = message.Instructions[i];
            if (ix.ProgramIdIndex is not { } program || ix.Accounts is null || ix.Data is null)
                throw new SolanaException($"Instruction {i} is not in compiled form (jsonParsed?).");
            var accounts = new byte[ix.Accounts.Count];
            for (var k = 0; k < accounts.Length; k++)
                accounts[k] = ToByte(ix.Accounts[k], "account index");
            instructions[i] = new CompiledInstruction(ToByte(program, "program index"), accounts, Base58.Decode(ix.Data));
        }
        var lookups = (message.AddressTableLookups ?? [])
            .Select(l => new MessageAddressTableLookup(PublicKey.Parse(l.AccountKey), l.WritableIndexes.ToArray(), l.ReadonlyIndexes.ToArray()))
            .ToArray();
        return new Message(
            isV0 ? MessageVersion.V0 : MessageVersion.Legacy,
            new SdkHeader(ToByte(header.NumRequiredSignatures, "header"), ToByte(header.NumReadonlySignedAccounts, "header"), ToByte(header.NumReadonlyUnsignedAccounts, "header")),
            keys, Blockhash.Parse(message.RecentBlockhash), instructions, lookups);
    }

    private static byte ToByte(int value, string what) =>
        value is >= 0 and <= 255 ? (byte)value : throw new SolanaException($"The {what} {value} is outside 0..255.");
}
