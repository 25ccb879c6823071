using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Suppliers.Rewards;

/// <summary>
/// A reward block on chain (docs/rewards.md): one <c>PayReward</c> transaction per payout from the rewards treasury,
/// and one memo transaction, signed by the treasury authority, that commits the payout list's Merkle root.
/// </summary>
public static class RewardBlockPayments
{
    /// <summary>The instructions of each payout's transaction, in payout (device) order.</summary>
    public static IReadOnlyList<TransactionInstruction[]> Payments(PublicKey treasuryAuthority, MintInfo io, RewardBlockSplit split)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(split.Block);
        return [.. split.Payouts.Select(p => IoNetFlows.PayReward(treasuryAuthority, io, p.Worker, (ulong)split.Block, p.Device, p.Amount))];
    }

    /// <summary>The commitment's transaction: its <see cref="RewardRootMemo"/>, alone, signed by the treasury authority.</summary>
    public static TransactionInstruction[] RootCommitment(PublicKey treasuryAuthority, PayoutCommitment commitment) =>
        [MemoInstruction.Of(commitment.Memo.Text, treasuryAuthority).Build()];
}
