using System.Numerics;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The challenge's matrices A and B, derived from its seed (docs/proof-of-work.md, "Matrices"): row r of matrix t
/// (t = 0 for A, 1 for B) is the ChaCha20 keystream with key = seed, nonce = u32le(t) || u32le(r) || u32le(0) and block
/// counter from 0, read as little-endian u32 words; each word's low 31 bits are a candidate, rejected when equal to
/// 2^31 − 1 = p, so values are uniform in [0, p). A row is its own stream: rows can be derived in any order and in
/// parallel, and the verifier derives only the rows it needs.
/// </summary>
public static class ProofOfWorkMatrices
{
    public const uint MatrixA = 0;
    public const uint MatrixB = 1;

    private const uint Low31 = 0x7FFF_FFFF;

    /// <summary>Fills <paramref name="destination"/> (n = its length) with row <paramref name="row"/> of matrix <paramref name="matrix"/>.</summary>
    public static void DeriveRow(Bytes32 seed, uint matrix, uint row, Span<uint> destination)
    {
        var key = ChaCha20.Key(seed.Bytes);
        DeriveRow(key, matrix, row, destination);
    }

    internal static void DeriveRow(in ChaCha20.KeyWords key, uint matrix, uint row, Span<uint> destination)
    {
        const int chunk = ChaCha20.Lanes * ChaCha20.BlockWords;
        var n = destination.Length;
        Span<uint> tail = stackalloc uint[chunk];
        uint counter = 0;
        var filled = 0;
        for (; filled + chunk <= n; filled += chunk, counter += ChaCha20.Lanes)
            ChaCha20.Blocks8(key, counter, matrix, row, 0, destination[filled..]);
        if (filled < n)
        {
            ChaCha20.Blocks8(key, counter, matrix, row, 0, tail);
            tail[..(n - filled)].CopyTo(destination[filled..]);
        }
        if (MaskAndFindRejection(destination))
            DeriveRowWithRejections(key, matrix, row, destination);
    }

    /// <summary>A whole n × n matrix, row-major, rows derived in parallel.</summary>
    public static uint[] Derive(Bytes32 seed, uint matrix, int n, CancellationToken cancellationToken = default)
    {
        var key = ChaCha20.Key(seed.Bytes);
        var values = new uint[checked(n * n)];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken },
            r => DeriveRow(key, matrix, (uint)r, values.AsSpan(r * n, n)));
        return values;
    }

    // Masks every word to 31 bits; true when one of them is the rejected value p (probability about n / 2^31).
    private static bool MaskAndFindRejection(Span<uint> words)
    {
        var rejected = false;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<uint>(Low31);
            for (; i + Vector<uint>.Count <= words.Length; i += Vector<uint>.Count)
            {
                var v = new Vector<uint>(words[i..]) & mask;
                v.CopyTo(words[i..]);
                rejected |= Vector.EqualsAny(v, mask);
            }
        }
        for (; i < words.Length; i++)
        {
            words[i] &= Low31;
            rejected |= words[i] == Low31;
        }
        return rejected;
    }

    // The rare row with a rejected word: read the stream one word at a time, skipping the rejected ones.
    private static void DeriveRowWithRejections(in ChaCha20.KeyWords key, uint matrix, uint row, Span<uint> destination)
    {
        Span<uint> block = stackalloc uint[ChaCha20.BlockWords];
        uint counter = 0;
        var filled = 0;
        while (filled < destination.Length)
        {
            ChaCha20.Block(key, counter++, matrix, row, 0, block);
            foreach (var word in block)
            {
                var value = word & Low31;
                if (value != ModularProduct.P && filled < destination.Length)
                    destination[filled++] = value;
            }
        }
    }
}
