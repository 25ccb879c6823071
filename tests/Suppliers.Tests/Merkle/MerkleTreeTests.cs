using System.Security.Cryptography;
using IoNet.Suppliers.Merkle;

namespace IoNet.Suppliers.Tests.Merkle;

public sealed class MerkleTreeTests
{
    private static Bytes32[] Leaves(int count) =>
        [.. Enumerable.Range(0, count).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i)))];

    // RFC 6962 §2.1, written from the RFC: MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two below n.
    private static byte[] Rfc6962Root(byte[][] leafHashes)
    {
        if (leafHashes.Length == 1)
            return leafHashes[0];
        var k = 1;
        while (k * 2 < leafHashes.Length)
            k *= 2;
        return SHA256.HashData([0x01, .. Rfc6962Root(leafHashes[..k]), .. Rfc6962Root(leafHashes[k..])]);
    }

    [Fact]
    public void a_leaf_is_the_sha256_of_zero_then_its_content() =>
        MerkleTree.LeafHash([1, 2, 3]).ToArray().ShouldBe(SHA256.HashData(new byte[] { 0, 1, 2, 3 }));

    [Fact]
    public void the_root_is_rfc_6962_merkle_tree_hash_for_every_size_up_to_70()
    {
        for (var count = 1; count <= 70; count++)
        {
            var leaves = Leaves(count);
            new MerkleTree(leaves).Root.ToArray().ShouldBe(Rfc6962Root([.. leaves.Select(l => l.ToArray())]), $"{count} leaves");
        }
    }

    [Fact]
    public void every_proof_leads_to_the_root_and_no_other_leaf_or_position_does()
    {
        foreach (var count in new[] { 1, 2, 3, 5, 8, 13, 64, 65 })
        {
            var leaves = Leaves(count);
            var tree = new MerkleTree(leaves);
            for (var i = 0; i < count; i++)
            {
                var proof = tree.ProofFor(i);
                MerkleTree.Verify(leaves[i], i, count, proof, tree.Root).ShouldBeTrue($"leaf {i} of {count}");
                if (count == 1)
                    continue;
                MerkleTree.Verify(leaves[(i + 1) % count], i, count, proof, tree.Root).ShouldBeFalse();
                MerkleTree.Verify(leaves[i], (i + 1) % count, count, proof, tree.Root).ShouldBeFalse();
            }
        }
    }

    [Fact]
    public void a_proof_with_a_changed_hash_or_a_wrong_length_fails()
    {
        var leaves = Leaves(11);
        var tree = new MerkleTree(leaves);
        var proof = tree.ProofFor(6);
        var changed = proof.ToArray();
        changed[1] = Bytes32.Sha256([9]);

        MerkleTree.Verify(leaves[6], 6, 11, changed, tree.Root).ShouldBeFalse();
        MerkleTree.RootFromProof(leaves[6], 6, 11, proof[..^1]).ShouldBeNull();
        MerkleTree.RootFromProof(leaves[6], 6, 11, [.. proof, proof[0]]).ShouldBeNull();
        MerkleTree.RootFromProof(leaves[6], 11, 11, proof).ShouldBeNull();
        MerkleTree.RootFromProof(leaves[6], 6, 8, proof).ShouldBeNull();
    }

    [Fact]
    public void an_empty_tree_is_refused() => Should.Throw<ArgumentException>(() => new MerkleTree([]));
}
