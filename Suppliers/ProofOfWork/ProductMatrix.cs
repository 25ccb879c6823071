using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>C = A·B mod p, row-major: what a solver produces and the worker commits to, row by row.</summary>
public sealed class ProductMatrix
{
    public ProductMatrix(int n, uint[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (values.Length != (long)n * n)
            throw new ArgumentException($"An {n} x {n} matrix has {(long)n * n} values, not {values.Length}.", nameof(values));
        N = n;
        Values = values;
    }

    public int N { get; }

    /// <summary>The n² residues, row after row.</summary>
    public uint[] Values { get; }

    public ReadOnlySpan<uint> Row(int index) => Values.AsSpan(index * N, N);

    /// <summary>A row as the wire and the Merkle leaf carry it: n little-endian u32s.</summary>
    public static byte[] RowBytes(ReadOnlySpan<uint> row)
    {
        var bytes = new byte[row.Length * sizeof(uint)];
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(row).CopyTo(bytes);
        else
            for (var i = 0; i < row.Length; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), row[i]);
        return bytes;
    }
}
