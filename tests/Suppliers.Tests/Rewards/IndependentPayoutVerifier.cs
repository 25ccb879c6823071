using System.Security.Cryptography;
using System.Text;
using SimpleBase;

namespace IoNet.Suppliers.Tests.Rewards;

/// <summary>
/// What a third party writes from docs/rewards.md alone (no IoNet.Suppliers types): the leaf bytes, then RFC 9162
/// §2.1.3.2's inclusion-proof verification (fn/sn bit walk), with SHA-256 and base58 from elsewhere.
/// </summary>
internal static class IndependentPayoutVerifier
{
    public static bool Verifies(ulong block, Guid device, string workerBase58, ulong amount, int index, int count, IReadOnlyList<byte[]> path, byte[] root)
    {
        var leaf = new List<byte> { 0x00 };
        leaf.AddRange(Encoding.ASCII.GetBytes("ionet:v1:payout:"));
        leaf.AddRange(BitConverter.GetBytes(block));                        // little-endian on x86/ARM
        leaf.AddRange(Convert.FromHexString(device.ToString("N")));
        leaf.AddRange(Base58.Bitcoin.Decode(workerBase58));
        leaf.AddRange(BitConverter.GetBytes(amount));
        if (!BitConverter.IsLittleEndian || index >= count)
            return false;

        long fn = index, sn = count - 1;
        var r = SHA256.HashData(leaf.ToArray());
        foreach (var p in path)
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = SHA256.HashData([0x01, .. p, .. r]);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
            }
            else
            {
                r = SHA256.HashData([0x01, .. r, .. p]);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }
}
