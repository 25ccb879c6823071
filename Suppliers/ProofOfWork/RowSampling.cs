using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The rows the server checks: k distinct indices below n drawn from
/// SHA-256(tag || challenge id || root || salt || u32le(counter)) for counter = 0, 1, …, each digest read as eight
/// little-endian u32 words; a word w is used when w &lt; 2^32 − (2^32 mod n) (no modulo bias) as index w mod n, and
/// skipped when that index was drawn before. The indices are in the order drawn.
/// </summary>
public static class RowSampling
{
    public const string Tag = "ionet:v1:pow:sample:";

    public static int[] Indices(Guid challenge, Bytes32 root, Bytes32 salt, int n, int k)
    {
        ProofOfWorkLimits.CheckN(n);
        if (k < 1 || k > n)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and n = {n}.");
        var input = new byte[Tag.Length + 16 + 2 * Bytes32.Length + 4];
        var at = Encoding.ASCII.GetBytes(Tag, input);
        challenge.TryWriteBytes(input.AsSpan(at, 16), bigEndian: true, out _);
        root.WriteTo(input.AsSpan(at + 16));
        salt.WriteTo(input.AsSpan(at + 16 + Bytes32.Length));
        var counterAt = at + 16 + 2 * Bytes32.Length;
        var limit = (1UL << 32) - ((1UL << 32) % (ulong)n);
        var drawn = new HashSet<int>();
        var indices = new List<int>(k);
        Span<byte> digest = stackalloc byte[32];
        for (uint counter = 0; indices.Count < k; counter++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(counterAt), counter);
            SHA256.HashData(input, digest);
            for (var w = 0; w < 8 && indices.Count < k; w++)
            {
                ulong word = BinaryPrimitives.ReadUInt32LittleEndian(digest[(4 * w)..]);
                if (word >= limit)
                    continue;
                var index = (int)(word % (ulong)n);
                if (drawn.Add(index))
                    indices.Add(index);
            }
        }
        return [.. indices];
    }
}
