using System.Buffers.Binary;
using System.Text;
using IoNet.Solana.Keys;

namespace IoNet.Suppliers.Uptime;

/// <summary>
/// A device's signed "still here": the device key's ed25519 signature over "ionet:v1:heartbeat:" (19 ASCII bytes) ||
/// device id (16 bytes, as its 32 hex digits read) || u64le(unix milliseconds of <see cref="At"/>): 43 bytes.
/// </summary>
public sealed record Heartbeat(Guid Device, DateTimeOffset At, Signature Signature)
{
    public const string Tag = "ionet:v1:heartbeat:";

    public static byte[] SignedMessage(Guid device, DateTimeOffset at)
    {
        var message = new byte[Tag.Length + 16 + 8];
        var written = Encoding.ASCII.GetBytes(Tag, message);
        device.TryWriteBytes(message.AsSpan(written, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(written + 16), checked((ulong)at.ToUnixTimeMilliseconds()));
        return message;
    }

    /// <summary>Signs a beat at <paramref name="at"/>, truncated to the millisecond (what the message carries).</summary>
    public static Heartbeat Sign(Guid device, DateTimeOffset at, Keypair deviceKey)
    {
        var ms = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        return new Heartbeat(device, ms, deviceKey.Sign(SignedMessage(device, ms)));
    }

    public bool IsSignedBy(PublicKey deviceKey) => Keypair.Verify(deviceKey, SignedMessage(Device, At), Signature);
}
