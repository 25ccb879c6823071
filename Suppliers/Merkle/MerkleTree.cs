using System.Security.Cryptography;

namespace IoNet.Suppliers.Merkle;

/// <summary>
/// A binary SHA-256 Merkle tree over leaf hashes, the shape of RFC 6962 §2.1 (Certificate Transparency): leaves are
/// hashed by their owner with the prefix byte 0x00, an inner node is SHA-256(0x01 || left || right), and a level with
/// an odd number of nodes promotes its last node unchanged (never duplicated: duplication would let two lists share a
/// root). Pairing bottom-up with promotion gives exactly RFC 6962's left-balanced tree. Used by proof of work (rows of
/// C) and by reward payouts (docs/proof-of-work.md, docs/rewards.md).
/// </summary>
public sealed class MerkleTree
{
    public const byte LeafPrefix = 0x00;
    public const byte NodePrefix = 0x01;

    // _levels[0] are the leaves, the last level holds the root alone.
    private readonly Bytes32[][] _levels;

    public MerkleTree(IReadOnlyList<Bytes32> leaves)
    {
        if (leaves.Count == 0)
            throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(leaves));
        var levels = new List<Bytes32[]> { leaves.ToArray() };
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            var level = new Bytes32[(below.Length + 1) / 2];
            for (var i = 0; i < below.Length / 2; i++)
                level[i] = Node(below[2 * i], below[2 * i + 1]);
            if (below.Length % 2 == 1)
                level[^1] = below[^1];
            levels.Add(level);
        }
        _levels = [.. levels];
    }

    public int Count => _levels[0].Length;

    public Bytes32 Root => _levels[^1][0];

    public Bytes32 Leaf(int index) => _levels[0][index];

    /// <summary>The sibling hashes from the leaf up to the root; a level where the node is promoted contributes none.</summary>
    public Bytes32[] ProofFor(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var proof = new List<Bytes32>();
        for (var level = 0; level < _levels.Length - 1; level++, index /= 2)
        {
            var nodes = _levels[level];
            var sibling = index ^ 1;
            if (sibling < nodes.Length)
                proof.Add(nodes[sibling]);
        }
        return [.. proof];
    }

    /// <summary>SHA-256(0x01 || left || right).</summary>
    public static Bytes32 Node(Bytes32 left, Bytes32 right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Bytes32.Length];
        input[0] = NodePrefix;
        left.WriteTo(input[1..]);
        right.WriteTo(input[(1 + Bytes32.Length)..]);
        return Bytes32.Sha256(input);
    }

    /// <summary>SHA-256(0x00 || <paramref name="content"/>): a leaf whose owner has encoded its content.</summary>
    public static Bytes32 LeafHash(ReadOnlySpan<byte> content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([LeafPrefix]);
        hash.AppendData(content);
        Span<byte> digest = stackalloc byte[Bytes32.Length];
        hash.GetHashAndReset(digest);
        return new Bytes32(digest);
    }

    /// <summary>
    /// The root that <paramref name="proof"/> leads to from the leaf at <paramref name="index"/> of a tree of
    /// <paramref name="count"/> leaves, or null when the proof does not have the length that position needs.
    /// </summary>
    public static Bytes32? RootFromProof(Bytes32 leaf, int index, int count, IReadOnlyList<Bytes32> proof)
    {
        if (count <= 0 || index < 0 || index >= count)
            return null;
        var node = leaf;
        var used = 0;
        for (var size = count; size > 1; size = (size + 1) / 2, index /= 2)
        {
            if (index % 2 == 1)
            {
                if (used == proof.Count)
                    return null;
                node = Node(proof[used++], node);
            }
            else if (index + 1 < size)
            {
                if (used == proof.Count)
                    return null;
                node = Node(node, proof[used++]);
            }
            // else: the last node of an odd level is promoted as it is.
        }
        return used == proof.Count ? node : null;
    }

    public static bool Verify(Bytes32 leaf, int index, int count, IReadOnlyList<Bytes32> proof, Bytes32 root) =>
        RootFromProof(leaf, index, count, proof) is { } computed && computed == root;
}
