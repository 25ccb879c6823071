using System.ComponentModel.DataAnnotations;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Http;
using IoNet.Suppliers.Rewards;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Rewards;

/// <summary>
/// Reward blocks for anyone (docs/rewards.md): their state and payouts, and each payout's Merkle inclusion proof, which
/// a wallet checks against the root in the block's memo on chain without our code.
/// </summary>
public static class RewardsApi
{
    public static IEndpointRouteBuilder MapRewards(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rewards/blocks").WithTags("Rewards").AllowAnonymous();
        group.MapGet("/", List).WithSummary("Reward blocks, newest first (before: a block number, to page on)");
        group.MapGet("/{number:long}", Get).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A reward block: state, emission, nominated, succeeded and failed workers, devices not nominated, root and memo");
        group.MapGet("/{number:long}/proof", Proof).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A payout's leaf and Merkle inclusion proof against the block's root (docs/rewards.md, \"Payout commitments on chain\")");
        return app;
    }

    private static async Task<Ok<RewardBlocksPage>> List(
        IDocumentStore store, CancellationToken ct, long? before = null, [Range(1, 500)] int limit = 50)
    {
        await using var session = store.QuerySession();
        var query = session.Query<RewardBlockRecord>().AsQueryable();
        if (before is { } b)
            query = query.Where(r => r.Number < b);
        var page = await query.OrderByDescending(r => r.Number).Take(limit + 1).ToListAsync(ct);
        var items = page.Take(limit).Select(RewardBlockSummary.Of).ToList();
        return TypedResults.Ok(new RewardBlocksPage(items, page.Count > limit ? items[^1].Number : null));
    }

    private static async Task<Results<Ok<RewardBlockView>, ProblemHttpResult>> Get(
        long number, IDocumentStore store, TransactionOutbox outbox, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<RewardBlockRecord>(RewardBlockRecord.Key(number), ct) is not { } record)
            return ApiProblems.NotFound($"No reward block {number} (yet).");
        var keys = record.Payouts.Select(p => RewardPaymentPayload.Key(record.Number, p.Device)).ToList();
        var rootKey = RewardRootPayload.Key(record.Number);
        var intents = (await outbox.FindAsync([.. keys, rootKey], ct)).ToDictionary(i => i.Key, StringComparer.Ordinal);
        return TypedResults.Ok(RewardBlockView.Of(record, intents));
    }

    private static async Task<Results<Ok<RewardPayoutProof>, ValidationProblem, ProblemHttpResult>> Proof(
        long number, IDocumentStore store, CancellationToken ct, Guid? device = null)
    {
        if (device is not { } id)
            return ApiProblems.Invalid("device", "The device id (a GUID) whose payout to prove.");
        await using var session = store.QuerySession();
        if (await session.LoadAsync<RewardBlockRecord>(RewardBlockRecord.Key(number), ct) is not { } record)
            return ApiProblems.NotFound($"No reward block {number} (yet).");
        if (record.Payouts.All(p => p.Device != id))
            return ApiProblems.NotFound($"Reward block {number} has no payout for device {id:N}.");
        if (record.Root is null || record.Commitment() is not { } commitment)
            return ApiProblems.Conflict($"Reward block {number} is {record.Status}: its root is committed once every payout is in the Ledger.");
        if (commitment.ProofFor(id) is not { } proof)
            return ApiProblems.NotFound($"Device {id:N}'s payout in reward block {number} was not paid, so it is not in the root.");
        return TypedResults.Ok(new RewardPayoutProof(
            record.Number, proof.Index, proof.Count, proof.Device, proof.Worker.ToString(), proof.Amount,
            Convert.ToHexStringLower(PayoutCommitment.LeafContent(proof.Block, proof.Device, proof.Worker, proof.Amount)),
            proof.Leaf.ToHex(), [.. proof.Siblings.Select(s => s.ToHex())], record.Root, commitment.Memo.Text, record.RootSignature));
    }
}

public sealed record RewardBlocksPage(IReadOnlyList<RewardBlockSummary> Items, long? NextBefore);

/// <summary>A block in a list: amounts in IO base units.</summary>
public sealed record RewardBlockSummary(
    long Number, RewardBlockStatus Status, DateTimeOffset Start, DateTimeOffset End, ulong Emission, ulong CarriedIn,
    int Nominated, int Succeeded, int Failed, int NotNominated, ulong? Paid, string? Root, string? MemoSignature)
{
    public static RewardBlockSummary Of(RewardBlockRecord r) => new(
        r.Number, r.Status, r.Start, r.End, r.Emission, r.CarriedIn, r.Payouts.Count, r.Payouts.Count(p => p.Signature is not null),
        r.Payouts.Count(p => p.Failure is not null), r.NotNominated.Count, r.Paid, r.Root, r.RootSignature);
}

/// <summary>A worker's part in a block: paid (<see cref="Signature"/>), failed (<see cref="Reason"/>) or still due.</summary>
public sealed record RewardWorker(Guid Device, string Worker, ulong Amount, string? Signature, string? Reason);

/// <summary>One payout: its share and where its PayReward transaction stands in the outbox (Pending, Signed, Done).</summary>
public sealed record RewardPayoutView(
    Guid Device, string Worker, RewardPool Pool, ulong Score, ulong Amount, string State, string? Signature, string? Failure,
    OutboxState? Transaction, string? TransactionSignature, string? LastError);

public sealed record RewardNotNominatedView(Guid Device, IReadOnlyList<string> Reasons);

/// <summary>
/// A block: <see cref="Distributable"/> = emission + carried in; Σ payouts = Distributable unless nobody was nominated
/// (<see cref="Undistributed"/>, carried to the next block). <see cref="Root"/>, <see cref="Memo"/> and
/// <see cref="MemoSignature"/> once the root is committed.
/// </summary>
public sealed record RewardBlockView(
    long Number, RewardBlockStatus Status, DateTimeOffset Start, DateTimeOffset End, ulong Emission, ulong CarriedIn, ulong Distributable,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<RewardWorker> Nominated, IReadOnlyList<RewardWorker> Succeeded, IReadOnlyList<RewardWorker> Failed,
    IReadOnlyList<RewardNotNominatedView> NotNominated, IReadOnlyList<RewardPayoutView> Payouts, ulong Undistributed,
    string? Root, ulong? RootCount, ulong? RootTotal, string? Memo, OutboxState? MemoTransaction, string? MemoSignature, ulong? Paid, ulong? CarriedOut)
{
    public static RewardBlockView Of(RewardBlockRecord r, IReadOnlyDictionary<string, OutboxIntent> intents)
    {
        RewardWorker Worker(RewardPayoutRecord p) => new(p.Device, p.Worker, p.Amount, p.Signature, p.Failure);
        var root = intents.GetValueOrDefault(RewardRootPayload.Key(r.Number));
        return new RewardBlockView(
            r.Number, r.Status, r.Start, r.End, r.Emission, r.CarriedIn, r.Distributable, r.OpenedAt, r.ClosedAt, r.CompletedAt,
            [.. r.Payouts.Select(Worker)], [.. r.Payouts.Where(p => p.Signature is not null).Select(Worker)],
            [.. r.Payouts.Where(p => p.Failure is not null).Select(Worker)],
            [.. r.NotNominated.Select(n => new RewardNotNominatedView(n.Device, n.Reasons))],
            [.. r.Payouts.Select(p =>
            {
                var intent = intents.GetValueOrDefault(RewardPaymentPayload.Key(r.Number, p.Device));
                return new RewardPayoutView(p.Device, p.Worker, p.Pool, p.Score, p.Amount,
                    p.Signature is not null ? "Paid" : p.Failure is not null ? "Failed" : "Pending", p.Signature, p.Failure,
                    intent?.State, intent?.DoneSignature ?? intent?.Signature, intent?.LastError);
            })],
            r.Undistributed, r.Root, r.RootCount, r.RootTotal,
            r.Root is null ? null : new RewardRootPayload(r.Number, r.Root, r.RootCount ?? 0, r.RootTotal ?? 0).Memo.Text,
            root?.State, r.RootSignature, r.Paid, r.CarriedOut);
    }
}

/// <summary>
/// A payout's inclusion proof (docs/rewards.md): <see cref="LeafContent"/> is the 80 bytes after the 0x00 prefix (hex),
/// <see cref="Leaf"/> = SHA-256(0x00 || LeafContent), <see cref="Siblings"/> from the leaf upwards (RFC 9162 §2.1.3.2),
/// to compare with <see cref="Root"/> and the count in the memo of <see cref="MemoSignature"/>.
/// </summary>
public sealed record RewardPayoutProof(
    long Block, int Index, int Count, Guid Device, string Worker, ulong Amount, string LeafContent, string Leaf,
    IReadOnlyList<string> Siblings, string Root, string Memo, string? MemoSignature);
