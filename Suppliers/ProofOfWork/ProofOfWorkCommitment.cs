using System.Buffers.Binary;
using System.Text;
using IoNet.Solana.Keys;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The device's answer to a challenge: the Merkle root of C's rows and the elapsed time it measured, signed with the
/// device key over <see cref="SignedMessage"/>. The elapsed time is informational: the server's clock decides timeouts.
/// </summary>
public sealed record ProofOfWorkCommitment(Guid Challenge, Bytes32 Root, ulong ElapsedMilliseconds, Signature Signature)
{
    /// <summary>The ASCII domain tag that starts every signed commitment.</summary>
    public const string Tag = "ionet:v1:pow:commit:";

    public const int SignedMessageLength = 20 + 16 + Bytes32.Length + 8;

    /// <summary>tag (20 ASCII bytes) || challenge id (16 bytes, as its 32 hex digits read) || root (32) || elapsed ms (u64 LE): 76 bytes.</summary>
    public static byte[] SignedMessage(Guid challenge, Bytes32 root, ulong elapsedMilliseconds)
    {
        var message = new byte[SignedMessageLength];
        var written = Encoding.ASCII.GetBytes(Tag, message);
        challenge.TryWriteBytes(message.AsSpan(written, 16), bigEndian: true, out _);
        root.WriteTo(message.AsSpan(written + 16));
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(written + 16 + Bytes32.Length), elapsedMilliseconds);
        return message;
    }

    public static ProofOfWorkCommitment Sign(Guid challenge, Bytes32 root, ulong elapsedMilliseconds, Keypair deviceKey) =>
        new(challenge, root, elapsedMilliseconds, deviceKey.Sign(SignedMessage(challenge, root, elapsedMilliseconds)));

    public bool IsSignedBy(PublicKey deviceKey) =>
        Keypair.Verify(deviceKey, SignedMessage(Challenge, Root, ElapsedMilliseconds), Signature);
}
