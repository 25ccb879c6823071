using IoNet.Suppliers.Merkle;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>One opened row of C: its index, its n values and the Merkle proof from its leaf to the committed root.</summary>
public sealed record OpenedRow(int Index, uint[] Values, IReadOnlyList<Bytes32> Proof)
{
    /// <summary>SHA-256(0x00 || u32le(index) || the row's n little-endian u32s).</summary>
    public static Bytes32 LeafHash(int index, ReadOnlySpan<uint> values)
    {
        var rowBytes = ProductMatrix.RowBytes(values);
        var content = new byte[4 + rowBytes.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(content, (uint)index);
        rowBytes.CopyTo(content, 4);
        return MerkleTree.LeafHash(content);
    }
}

/// <summary>The device's second message: the sampled rows, in the order <see cref="RowSampling"/> drew them.</summary>
public sealed record ProofOfWorkOpening(Guid Challenge, IReadOnlyList<OpenedRow> Rows);
