using System.Security.Cryptography;

namespace IoNet.Marketplace.Matching;

/// <summary>
/// The id of the rental a bid's fill creates: a UUIDv5 (RFC 9562) in <see cref="Namespace"/> of the bid id written as
/// 32 lower-case hex digits, so a caller knows it from the bid id alone (a bid fills at most once) and a rebuilt book
/// names it the same. Computed on the stack (no allocation: it is on every fill's path).
/// </summary>
public static class RentalIds
{
    /// <summary>The namespace of rental ids (a fixed random UUID; never change it).</summary>
    public static readonly Guid Namespace = new("5d7c1e8a-2f4b-4c3e-9a61-0e8b3f7d2c55");

    public static Guid ForBid(Guid bidId)
    {
        Span<byte> name = stackalloc byte[16 + 32];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        bidId.TryFormat(name[16..], out _, "N");
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // UUIDv5 is defined with SHA-1; it names, it does not protect.
        SHA1.HashData(name, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
