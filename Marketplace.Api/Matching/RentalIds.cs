using System.Buffers.Binary;
using System.Numerics;

namespace IoNet.Marketplace.Matching;

/// <summary>
/// The id of the rental a bid's fill creates: a UUIDv5 (RFC 9562) in <see cref="Namespace"/> of the bid id written as
/// 32 lower-case hex digits, so a caller knows it from the bid id alone (a bid fills at most once) and a rebuilt book
/// names it the same.
/// </summary>
/// <remarks>
/// It is on every fill's path, so the SHA-1 of the one 48-byte name is computed here, on the stack: the platform's
/// SHA1.HashData goes through OpenSSL, whose call overhead for one block cost as much as a whole order operation.
/// Tests check it against SHA1.HashData, UUIDNext and Python's uuid5.
/// </remarks>
public static class RentalIds
{
    /// <summary>The namespace of rental ids (a fixed random UUID; never change it).</summary>
    public static readonly Guid Namespace = new("5d7c1e8a-2f4b-4c3e-9a61-0e8b3f7d2c55");

    public static Guid ForBid(Guid bidId)
    {
        Span<byte> name = stackalloc byte[16 + 32];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        bidId.TryFormat(name[16..], out _, "N");
        Span<byte> hash = stackalloc byte[20];
        Sha1OfOneBlock(name, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>SHA-1 (FIPS 180-4) of a message of at most 55 bytes, which pads to a single 64-byte block.</summary>
    internal static void Sha1OfOneBlock(ReadOnlySpan<byte> message, Span<byte> digest)
    {
        if (message.Length > 55) throw new ArgumentException("At most 55 bytes fit one SHA-1 block.", nameof(message));
        Span<byte> block = stackalloc byte[64];
        block.Clear();
        message.CopyTo(block);
        block[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(block[56..], (ulong)message.Length * 8);
        Span<uint> w = stackalloc uint[80];
        for (var i = 0; i < 16; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * i)..]);
        for (var i = 16; i < 80; i++) w[i] = BitOperations.RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint a = 0x67452301, b = 0xEFCDAB89, c = 0x98BADCFE, d = 0x10325476, e = 0xC3D2E1F0;
        for (var i = 0; i < 80; i++)
        {
            uint f, k;
            if (i < 20) (f, k) = ((b & c) | (~b & d), 0x5A827999);
            else if (i < 40) (f, k) = (b ^ c ^ d, 0x6ED9EBA1);
            else if (i < 60) (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC);
            else (f, k) = (b ^ c ^ d, 0xCA62C1D6);
            var t = BitOperations.RotateLeft(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = BitOperations.RotateLeft(b, 30);
            b = a;
            a = t;
        }
        BinaryPrimitives.WriteUInt32BigEndian(digest, 0x67452301 + a);
        BinaryPrimitives.WriteUInt32BigEndian(digest[4..], 0xEFCDAB89 + b);
        BinaryPrimitives.WriteUInt32BigEndian(digest[8..], 0x98BADCFE + c);
        BinaryPrimitives.WriteUInt32BigEndian(digest[12..], 0x10325476 + d);
        BinaryPrimitives.WriteUInt32BigEndian(digest[16..], 0xC3D2E1F0 + e);
    }
}
