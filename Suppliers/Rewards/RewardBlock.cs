namespace IoNet.Suppliers.Rewards;

public enum RewardBlockStatus
{
    InProgress,
    Processing,
    Completed,
}

/// <summary>The events a command produces, or why it was refused (then no events).</summary>
public sealed record RewardBlockDecision(IReadOnlyList<object> Events, string? Rejection = null)
{
    public static RewardBlockDecision Refuse(string why) => new([], why);
}

/// <summary>
/// A reward block's state and its pure decider (docs/rewards.md, "Reward blocks"): opened with its emission, closed
/// into a split (Processing), each payout then confirmed or failed, and — once all are settled — the Merkle root of the
/// payouts actually paid committed on chain (Completed). Failed amounts and undistributed ones are carried out to the
/// next block, so nothing is lost: Paid + CarriedOut = Emission + CarriedIn.
/// </summary>
public sealed class RewardBlock
{
    private readonly Dictionary<Guid, string> _succeeded = [];
    private readonly Dictionary<Guid, string> _failed = [];

    public long Block { get; private set; }
    public RewardBlockStatus Status { get; private set; }
    public DateTimeOffset End { get; private set; }
    public ulong Emission { get; private set; }
    public ulong CarriedIn { get; private set; }
    public IReadOnlyList<RewardPayout> Nominated { get; private set; } = [];
    public IReadOnlyList<NotNominated> NotNominated { get; private set; } = [];
    public ulong Undistributed { get; private set; }
    public IReadOnlyDictionary<Guid, string> Succeeded => _succeeded;
    public IReadOnlyDictionary<Guid, string> Failed => _failed;
    public string? RootSignature { get; private set; }
    public ulong CarriedOut { get; private set; }

    /// <summary>All payouts are settled: the root of <see cref="PaidPayouts"/> is what goes on chain.</summary>
    public bool AllSettled => Status == RewardBlockStatus.Processing && Nominated.All(p => _succeeded.ContainsKey(p.Device) || _failed.ContainsKey(p.Device));

    public IReadOnlyList<RewardPayout> PaidPayouts => [.. Nominated.Where(p => _succeeded.ContainsKey(p.Device))];

    /// <summary>The commitment to put on chain once <see cref="AllSettled"/>; null when nothing was paid.</summary>
    public PayoutCommitment? Commitment() =>
        AllSettled && PaidPayouts.Count > 0
            ? new PayoutCommitment(new RewardBlockSplit(Block, 0, PaidPayouts, [], 0))
            : null;

    public static RewardBlockDecision Open(RewardBlock? state, long block, EmissionSchedule schedule, ulong carriedIn, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        if (state is not null)
            return RewardBlockDecision.Refuse($"Block {block} is already open.");
        if (end <= start)
            return RewardBlockDecision.Refuse("A block ends after it starts.");
        return new([new RewardBlockOpened(block, start, end, schedule.ForBlock(block), carriedIn, now)]);
    }

    public static RewardBlockDecision Close(RewardBlock? state, IEnumerable<RewardCandidate> candidates, DateTimeOffset now, RewardRules? rules = null)
    {
        if (state is null)
            return RewardBlockDecision.Refuse("The block is not open.");
        if (state.Status != RewardBlockStatus.InProgress)
            return RewardBlockDecision.Refuse($"Block {state.Block} is {state.Status}, not In Progress.");
        if (now < state.End)
            return RewardBlockDecision.Refuse($"Block {state.Block} ends at {state.End:u}.");
        var distributable = checked(state.Emission + state.CarriedIn);
        var split = RewardSplit.Split(state.Block, distributable, candidates, state.End, rules);
        var closed = new RewardBlockClosed(state.Block, distributable, split.Payouts, split.NotNominated, split.Carried, now);
        return split.Payouts.Count == 0
            ? new([closed, new RewardBlockCompleted(state.Block, 0, distributable, now)])
            : new([closed]);
    }

    public static RewardBlockDecision Succeed(RewardBlock? state, Guid device, string signature, DateTimeOffset now)
    {
        if (Settling(state, device) is { } why)
            return state?._succeeded.GetValueOrDefault(device) == signature ? new([]) : RewardBlockDecision.Refuse(why);
        return new([new RewardPaymentSucceeded(state!.Block, device, signature, now)]);
    }

    public static RewardBlockDecision Fail(RewardBlock? state, Guid device, string reason, DateTimeOffset now) =>
        Settling(state, device) is { } why ? RewardBlockDecision.Refuse(why) : new([new RewardPaymentFailed(state!.Block, device, reason, now)]);

    /// <summary>The root memo is confirmed (<paramref name="root"/> must be <see cref="Commitment"/>'s); completes the block.</summary>
    public static RewardBlockDecision CommitRoot(RewardBlock? state, string root, string signature, DateTimeOffset now)
    {
        if (state is null || state.Status != RewardBlockStatus.Processing)
            return RewardBlockDecision.Refuse("Only a Processing block commits its root.");
        if (!state.AllSettled)
            return RewardBlockDecision.Refuse($"Block {state.Block} still has unsettled payouts.");
        if (state.Commitment() is not { } commitment)
            return RewardBlockDecision.Refuse($"Block {state.Block} paid nobody: it has no root to commit.");
        if (commitment.Root.ToHex() != root)
            return RewardBlockDecision.Refuse($"The committed root {root} is not block {state.Block}'s {commitment.Root.ToHex()}.");
        return new([
            new RewardRootCommitted(state.Block, root, (ulong)commitment.Count, commitment.Total, signature, now),
            new RewardBlockCompleted(state.Block, commitment.Total, checked(state.Emission + state.CarriedIn - commitment.Total), now),
        ]);
    }

    /// <summary>When every payout failed there is no root: the block completes, carrying everything out.</summary>
    public static RewardBlockDecision CompleteUnpaid(RewardBlock? state, DateTimeOffset now) =>
        state is not null && state.AllSettled && state.PaidPayouts.Count == 0
            ? new([new RewardBlockCompleted(state.Block, 0, checked(state.Emission + state.CarriedIn), now)])
            : RewardBlockDecision.Refuse("Only a settled block that paid nobody completes without a root.");

    private static string? Settling(RewardBlock? state, Guid device)
    {
        if (state is null || state.Status != RewardBlockStatus.Processing)
            return "Payouts are settled only while the block is Processing.";
        if (state.Nominated.All(p => p.Device != device))
            return $"Device {device:N} has no payout in block {state.Block}.";
        if (state._succeeded.ContainsKey(device) || state._failed.ContainsKey(device))
            return $"Device {device:N}'s payout in block {state.Block} is already settled.";
        return null;
    }

    /// <summary>Evolve: the state after <paramref name="e"/>.</summary>
    public static RewardBlock? After(RewardBlock? state, object e)
    {
        switch (e)
        {
            case RewardBlockOpened o:
                return new RewardBlock { Block = o.Block, End = o.End, Emission = o.Emission, CarriedIn = o.CarriedIn, Status = RewardBlockStatus.InProgress };
            case RewardBlockClosed c when state is not null:
                (state.Nominated, state.NotNominated, state.Undistributed, state.Status) = (c.Payouts, c.NotNominated, c.Carried, RewardBlockStatus.Processing);
                break;
            case RewardPaymentSucceeded s when state is not null:
                state._succeeded[s.Device] = s.Signature;
                break;
            case RewardPaymentFailed f when state is not null:
                state._failed[f.Device] = f.Reason;
                break;
            case RewardRootCommitted r when state is not null:
                state.RootSignature = r.Signature;
                break;
            case RewardBlockCompleted done when state is not null:
                (state.CarriedOut, state.Status) = (done.CarriedOut, RewardBlockStatus.Completed);
                break;
        }
        return state;
    }

    public static RewardBlock? Replay(IEnumerable<object> events) => events.Aggregate((RewardBlock?)null, After);
}
