namespace IoNet.Suppliers.Rewards;

// A reward block's life, one stream per block (docs/rewards.md, "Reward blocks"). Marketplace-side events: each carries
// the time it happened. Candidates for Ledger/Rewards once a service runs the blocks.

/// <summary>The hour began: its emission and what the previous block carried in.</summary>
public sealed record RewardBlockOpened(long Block, DateTimeOffset Start, DateTimeOffset End, ulong Emission, ulong CarriedIn, DateTimeOffset At);

/// <summary>The hour ended and was split (In Progress → Processing): nominated devices with their amounts, and who was not nominated.</summary>
public sealed record RewardBlockClosed(
    long Block, ulong Distributable, IReadOnlyList<RewardPayout> Payouts, IReadOnlyList<NotNominated> NotNominated, ulong Carried, DateTimeOffset At);

/// <summary>A payout's PayReward transaction is confirmed on chain.</summary>
public sealed record RewardPaymentSucceeded(long Block, Guid Device, string Signature, DateTimeOffset At);

/// <summary>A payout could not be paid (the amount is carried to the next block).</summary>
public sealed record RewardPaymentFailed(long Block, Guid Device, string Reason, DateTimeOffset At);

/// <summary>The memo with the Merkle root of the paid payouts is confirmed on chain.</summary>
public sealed record RewardRootCommitted(long Block, string Root, ulong Count, ulong Total, string Signature, DateTimeOffset At);

/// <summary>Every payout settled and the root (if anything was paid) committed (Processing → Completed).</summary>
public sealed record RewardBlockCompleted(long Block, ulong Paid, ulong CarriedOut, DateTimeOffset At);
