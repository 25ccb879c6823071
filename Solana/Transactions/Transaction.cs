using IoNet.Solana.Wire;
using IoNet.Solana.Keys;
using IoNet.Solana.Messages;

namespace IoNet.Solana.Transactions;

/// <summary>
/// A message and one signature slot per required signer (all-zero until signed). Signs and serializes exactly as
/// the network expects, within the 1232-byte packet limit.
/// </summary>
public sealed class Transaction
{
    /// <summary>The largest transaction a validator accepts: IPv6 minimum MTU minus headers (solana PACKET_DATA_SIZE).</summary>
    public const int PacketDataSize = 1232;

    private readonly Signature[] _signatures;

    public Transaction(Message message, IReadOnlyList<Signature>? signatures = null)
    {
        Message = message;
        int required = message.Header.NumRequiredSignatures;
        if (signatures is not null && signatures.Count != required)
            throw new SolanaException($"The message needs {required} signatures, {signatures.Count} were given.");
        _signatures = signatures?.ToArray() ?? new Signature[required];
    }

    /// <summary>Takes <paramref name="signatures"/> as they are (already counted against the header): no copy.</summary>
    private Transaction(Message message, Signature[] signatures)
    {
        Message = message;
        _signatures = signatures;
    }

    public Message Message { get; }

    public IReadOnlyList<Signature> Signatures => _signatures;

    /// <summary>The transaction's id: its first (the fee payer's) signature.</summary>
    public Signature Id => _signatures[0];

    /// <summary>The keys that must sign, in signature order.</summary>
    public IEnumerable<PublicKey> RequiredSigners => Message.AccountKeys.Take(_signatures.Length);

    public bool IsFullySigned => Array.TrueForAll(_signatures, s => !s.IsEmpty);

    /// <summary>Signs with every required signer; each keypair must be one of them, and all of them must be given.</summary>
    public Transaction Sign(params Keypair[] signers)
    {
        PartialSign(signers);
        for (var i = 0; i < _signatures.Length; i++)
        {
            if (_signatures[i].IsEmpty)
                throw new SolanaException($"Missing signature of {Message.AccountKeys[i]} (signer {i}).");
        }
        return this;
    }

    /// <summary>Adds the signatures of some required signers, leaving the other slots as they are.</summary>
    public Transaction PartialSign(params Keypair[] signers)
    {
        var message = Message.Bytes;
        foreach (var signer in signers)
        {
            var slot = SlotOf(signer.PublicKey);
            _signatures[slot] = signer.Sign(message);
        }
        return this;
    }

    /// <summary>Puts a signature made elsewhere (a wallet, a hardware key) into its signer's slot.</summary>
    public Transaction AddSignature(PublicKey signer, Signature signature)
    {
        _signatures[SlotOf(signer)] = signature;
        return this;
    }

    /// <summary>True when every slot holds a valid signature of the message by its key.</summary>
    public bool VerifySignatures()
    {
        var message = Message.Bytes;
        for (var i = 0; i < _signatures.Length; i++)
        {
            if (!Keypair.Verify(Message.AccountKeys[i], message, _signatures[i]))
                return false;
        }
        return true;
    }

    public int SerializedLength => ShortVec.EncodedLength(_signatures.Length) + _signatures.Length * Signature.Length + Message.SerializedLength;

    /// <summary>The wire bytes; refuses a transaction over the packet limit (or with unsigned slots, unless allowed).</summary>
    public byte[] Serialize(bool requireAllSignatures = true)
    {
        if (requireAllSignatures && !IsFullySigned)
            throw new SolanaException("The transaction is not fully signed (use Serialize(requireAllSignatures: false) for a partial one).");
        var length = SerializedLength;
        if (length > PacketDataSize)
            throw new SolanaException($"The transaction is {length} bytes; the limit is {PacketDataSize}.");
        var bytes = new byte[length];
        var offset = ShortVec.Write(bytes, _signatures.Length);
        foreach (var signature in _signatures)
        {
            signature.Bytes.CopyTo(bytes.AsSpan(offset));
            offset += Signature.Length;
        }
        Message.Bytes.CopyTo(bytes.AsSpan(offset));
        return bytes;
    }

    public string ToBase64(bool requireAllSignatures = true) => Convert.ToBase64String(Serialize(requireAllSignatures));

    public static Transaction Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > PacketDataSize)
            throw new SolanaException($"A transaction is at most {PacketDataSize} bytes, not {bytes.Length}.");
        var buffer = bytes.ToArray();
        var offset = 0;
        var count = ShortVec.Read(buffer, ref offset);
        if ((long)count * Signature.Length > buffer.Length - offset)
            throw new SolanaException($"Truncated transaction: {count} signatures do not fit in {buffer.Length - offset} bytes.");
        var signatures = new Signature[count];
        for (var i = 0; i < count; i++)
        {
            signatures[i] = new Signature(buffer.AsSpan(offset, Signature.Length));
            offset += Signature.Length;
        }
        var message = Message.Read(buffer, ref offset);
        if (offset != buffer.Length)
            throw new SolanaException($"{buffer.Length - offset} unexpected bytes after the transaction's message.");
        if (count != message.Header.NumRequiredSignatures)
            throw new SolanaException($"The transaction carries {count} signatures but its message requires {message.Header.NumRequiredSignatures}.");
        return new Transaction(message, signatures);
    }

    public static Transaction FromBase64(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new SolanaException("The transaction is not valid base64.", e);
        }
        return Deserialize(bytes);
    }

    private int SlotOf(PublicKey signer)
    {
        for (var i = 0; i < _signatures.Length; i++)
        {
            if (Message.AccountKeys[i] == signer)
                return i;
        }
        throw new SolanaException($"{signer} is not a required signer of this transaction.");
    }
}
