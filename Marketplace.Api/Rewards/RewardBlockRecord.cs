using System.Globalization;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Rewards;
using Marten.Schema;

namespace IoNet.Marketplace.Rewards;

/// <summary>One payout of a block as stored: the worker is the device owner's wallet (base58).</summary>
public sealed record RewardPayoutRecord(Guid Device, string Worker, RewardPool Pool, ulong Score, ulong Amount)
{
    /// <summary>The PayReward transaction the Ledger holds for it (succeeded), if any.</summary>
    public string? Signature { get; init; }

    /// <summary>Why it was not paid (failed; the amount is carried out), if so.</summary>
    public string? Failure { get; init; }
}

public sealed record NotNominatedRecord(Guid Device, IReadOnlyList<string> Reasons);

/// <summary>
/// A reward block as the service keeps it (a Marten document, id = the block number in decimal): the state of the pure
/// <see cref="RewardBlock"/> decider in plain fields. <see cref="Events"/> rebuilds the decider's events from it and
/// <see cref="Apply"/> folds new ones in, so every change is decided by <see cref="RewardBlock"/>. Optimistic
/// concurrency: of two writers (two replicas, or a replica and its restart) only one stores each step.
/// </summary>
[UseOptimisticConcurrency]
public sealed class RewardBlockRecord
{
    public string Id { get; set; } = "";
    public long Number { get; set; }
    public RewardBlockStatus Status { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public ulong Emission { get; set; }
    public ulong CarriedIn { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public ulong Distributable { get; set; }
    public List<RewardPayoutRecord> Payouts { get; set; } = [];
    public List<NotNominatedRecord> NotNominated { get; set; } = [];

    /// <summary>What nobody received at the close (nobody nominated): carried into the next block.</summary>
    public ulong Undistributed { get; set; }

    /// <summary>The Merkle root (64 hex digits) of the paid payouts, their count and total, once every payout is settled.</summary>
    public string? Root { get; set; }
    public ulong? RootCount { get; set; }
    public ulong? RootTotal { get; set; }

    /// <summary>The memo transaction that put <see cref="Root"/> on chain, once it is there.</summary>
    public string? RootSignature { get; set; }
    public DateTimeOffset? RootCommittedAt { get; set; }
    public ulong? Paid { get; set; }
    public ulong? CarriedOut { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public static string Key(long block) => block.ToString(CultureInfo.InvariantCulture);

    /// <summary>The decider's state: the events this record stands for, replayed.</summary>
    public RewardBlock? State() => RewardBlock.Replay(Events());

    public IEnumerable<object> Events()
    {
        if (Id.Length == 0)
            yield break;
        yield return new RewardBlockOpened(Number, Start, End, Emission, CarriedIn, OpenedAt);
        if (ClosedAt is not { } closed)
            yield break;
        yield return new RewardBlockClosed(Number, Distributable,
            [.. Payouts.Select(p => new RewardPayout(p.Device, PublicKey.Parse(p.Worker), p.Pool, p.Score, p.Amount))],
            [.. NotNominated.Select(n => new NotNominated(n.Device, n.Reasons))], Undistributed, closed);
        foreach (var p in Payouts)
        {
            if (p.Signature is { } signature)
                yield return new RewardPaymentSucceeded(Number, p.Device, signature, closed);
            else if (p.Failure is { } failure)
                yield return new RewardPaymentFailed(Number, p.Device, failure, closed);
        }
        if (RootSignature is { } rootSignature)
            yield return new RewardRootCommitted(Number, Root!, RootCount ?? 0, RootTotal ?? 0, rootSignature, RootCommittedAt ?? closed);
        if (CompletedAt is { } completed)
            yield return new RewardBlockCompleted(Number, Paid ?? 0, CarriedOut ?? 0, completed);
    }

    /// <summary>Folds one of the decider's events into the record.</summary>
    public void Apply(object e)
    {
        switch (e)
        {
            case RewardBlockOpened o:
                (Id, Number, Start, End, Emission, CarriedIn, OpenedAt, Status) =
                    (Key(o.Block), o.Block, o.Start, o.End, o.Emission, o.CarriedIn, o.At, RewardBlockStatus.InProgress);
                break;
            case RewardBlockClosed c:
                (ClosedAt, Distributable, Undistributed, Status) = (c.At, c.Distributable, c.Carried, RewardBlockStatus.Processing);
                Payouts = [.. c.Payouts.Select(p => new RewardPayoutRecord(p.Device, p.Worker.ToString(), p.Pool, p.Score, p.Amount))];
                NotNominated = [.. c.NotNominated.Select(n => new NotNominatedRecord(n.Device, n.Reasons))];
                break;
            case RewardPaymentSucceeded s:
                Payouts = [.. Payouts.Select(p => p.Device == s.Device ? p with { Signature = s.Signature } : p)];
                break;
            case RewardPaymentFailed f:
                Payouts = [.. Payouts.Select(p => p.Device == f.Device ? p with { Failure = f.Reason } : p)];
                break;
            case RewardRootCommitted r:
                (Root, RootCount, RootTotal, RootSignature, RootCommittedAt) = (r.Root, r.Count, r.Total, r.Signature, r.At);
                break;
            case RewardBlockCompleted done:
                (Paid, CarriedOut, CompletedAt, Status) = (done.Paid, done.CarriedOut, done.At, RewardBlockStatus.Completed);
                break;
            default:
                throw new ArgumentException($"Not a reward block event: {e.GetType().Name}.", nameof(e));
        }
    }

    /// <summary>Applies the decision's events; its rejection (no events) when refused.</summary>
    public string? Apply(RewardBlockDecision decision)
    {
        foreach (var e in decision.Events)
            Apply(e);
        return decision.Rejection;
    }

    /// <summary>
    /// The commitment of the paid payouts once every payout is settled (Processing with all settled, or Completed); null
    /// before, or when nothing was paid. The same list, in the same device order, as the root committed on chain.
    /// </summary>
    public PayoutCommitment? Commitment()
    {
        var settled = Status == RewardBlockStatus.Completed || (State() is { AllSettled: true });
        var paid = Payouts.Where(p => p.Signature is not null)
            .Select(p => new RewardPayout(p.Device, PublicKey.Parse(p.Worker), p.Pool, p.Score, p.Amount)).ToList();
        return settled && paid.Count > 0 ? new PayoutCommitment(new RewardBlockSplit(Number, 0, paid, [], 0)) : null;
    }
}
