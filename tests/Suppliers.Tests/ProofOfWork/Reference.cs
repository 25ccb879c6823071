using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

/// <summary>The obvious implementations the fast ones are checked against: one block at a time, one product at a time.</summary>
internal static class Reference
{
    public const ulong P = 2_147_483_647;

    /// <summary>Row r of matrix t as docs/proof-of-work.md states it, with the one-block ChaCha20 function.</summary>
    public static uint[] Row(Bytes32 seed, uint matrix, uint row, int n)
    {
        var key = ChaCha20.Key(seed.Bytes);
        var values = new List<uint>(n);
        var block = new uint[16];
        for (uint counter = 0; values.Count < n; counter++)
        {
            ChaCha20.Block(key, counter, matrix, row, 0, block);
            foreach (var word in block)
            {
                var v = word & 0x7FFF_FFFF;
                if (v != P && values.Count < n)
                    values.Add(v);
            }
        }
        return [.. values];
    }

    public static uint[] Matrix(Bytes32 seed, uint matrix, int n) =>
        [.. Enumerable.Range(0, n).SelectMany(r => Row(seed, matrix, (uint)r, n))];

    /// <summary>C = A·B mod p with a full reduction after every product.</summary>
    public static uint[] Product(uint[] a, uint[] b, int n)
    {
        var c = new uint[n * n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            ulong sum = 0;
            for (var k = 0; k < n; k++)
                sum = (sum + (ulong)a[i * n + k] * b[k * n + j] % P) % P;
            c[i * n + j] = (uint)sum;
        }
        return c;
    }

    public static Bytes32 Seed(byte b) => new([.. Enumerable.Range(0, 32).Select(i => (byte)(b + i))]);
}
