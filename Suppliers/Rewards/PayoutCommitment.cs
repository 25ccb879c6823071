using System.Buffers.Binary;
using System.Text;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Merkle;

namespace IoNet.Suppliers.Rewards;

/// <summary>
/// One payout's inclusion proof: its position among the block's <see cref="Count"/> payouts, its fields, and the
/// sibling hashes from its leaf to the root (docs/rewards.md, "Payout commitments"). Everything a wallet needs to
/// check it against the root in the block's memo, without our code.
/// </summary>
public sealed record PayoutInclusionProof(
    ulong Block, int Index, int Count, Guid Device, PublicKey Worker, ulong Amount, IReadOnlyList<Bytes32> Siblings)
{
    public Bytes32 Leaf => PayoutCommitment.LeafHash(Block, Device, Worker, Amount);

    /// <summary>Whether this proof leads to <paramref name="root"/>.</summary>
    public bool LeadsTo(Bytes32 root) => MerkleTree.Verify(Leaf, Index, Count, Siblings, root);
}

/// <summary>
/// A reward block's payout list committed as a SHA-256 Merkle root (RFC 6962 shape, <see cref="MerkleTree"/>) over
/// its payouts in device order, each leaf SHA-256(0x00 || "ionet:v1:payout:" || u64le(block) || device id (16 bytes,
/// as its 32 hex digits read) || worker public key (32 bytes) || u64le(amount)): 80 bytes after the 0x00. The root,
/// the count and the total go on chain in a <see cref="RewardRootMemo"/> signed by the rewards treasury.
/// </summary>
public sealed class PayoutCommitment
{
    public const string LeafTag = "ionet:v1:payout:";

    /// <summary>The bytes after the 0x00 prefix: 16 + 8 + 16 + 32 + 8.</summary>
    public const int LeafContentLength = 16 + 8 + 16 + 32 + 8;

    private readonly MerkleTree _tree;
    private readonly Dictionary<Guid, int> _indexOf;

    public PayoutCommitment(RewardBlockSplit split)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(split.Block);
        if (split.Payouts.Count == 0)
            throw new ArgumentException($"Block {split.Block} pays nobody: there is nothing to commit.", nameof(split));
        Block = (ulong)split.Block;
        Payouts = split.Payouts;
        _indexOf = [];
        for (var i = 0; i < Payouts.Count; i++)
        {
            if (i > 0 && DeviceOrder.Instance.Compare(Payouts[i - 1].Device, Payouts[i].Device) >= 0)
                throw new ArgumentException("Payouts must be in strictly increasing device order.", nameof(split));
            _indexOf[Payouts[i].Device] = i;
        }
        _tree = new MerkleTree([.. Payouts.Select(p => LeafHash(Block, p.Device, p.Worker, p.Amount))]);
        Total = Payouts.Aggregate(0UL, (sum, p) => checked(sum + p.Amount));
    }

    public ulong Block { get; }

    public IReadOnlyList<RewardPayout> Payouts { get; }

    public Bytes32 Root => _tree.Root;

    public int Count => Payouts.Count;

    /// <summary>The sum of the amounts, in IO base units.</summary>
    public ulong Total { get; }

    /// <summary>The memo that puts this commitment on chain.</summary>
    public RewardRootMemo Memo => new(Block, Root.ToHex(), (ulong)Count, Total);

    /// <summary>The proof for <paramref name="device"/>'s payout, or null when the block pays it nothing.</summary>
    public PayoutInclusionProof? ProofFor(Guid device)
    {
        if (!_indexOf.TryGetValue(device, out var index))
            return null;
        var p = Payouts[index];
        return new PayoutInclusionProof(Block, index, Count, p.Device, p.Worker, p.Amount, _tree.ProofFor(index));
    }

    /// <summary>SHA-256(0x00 || the 80 bytes of <see cref="LeafContent"/>).</summary>
    public static Bytes32 LeafHash(ulong block, Guid device, PublicKey worker, ulong amount) =>
        MerkleTree.LeafHash(LeafContent(block, device, worker, amount));

    /// <summary>"ionet:v1:payout:" || u64le(block) || device (16 bytes big-endian) || worker (32 bytes) || u64le(amount).</summary>
    public static byte[] LeafContent(ulong block, Guid device, PublicKey worker, ulong amount)
    {
        var content = new byte[LeafContentLength];
        var at = Encoding.ASCII.GetBytes(LeafTag, content);
        BinaryPrimitives.WriteUInt64LittleEndian(content.AsSpan(at), block);
        device.TryWriteBytes(content.AsSpan(at + 8, 16), bigEndian: true, out _);
        worker.Bytes.CopyTo(content.AsSpan(at + 24, 32));
        BinaryPrimitives.WriteUInt64LittleEndian(content.AsSpan(at + 56), amount);
        return content;
    }
}
