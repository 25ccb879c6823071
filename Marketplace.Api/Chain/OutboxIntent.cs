using System.Text.Json;
using IoNet.Solana.Transactions;

namespace IoNet.Marketplace.Chain;

/// <summary>Where an intent stands (docs/marketplace.md, "Sending transactions exactly once").</summary>
public enum OutboxState
{
    /// <summary>No live transaction: none was built yet, or the last one provably never landed (or failed).</summary>
    Pending,

    /// <summary>A signed transaction is stored; it may have been sent, and may have landed.</summary>
    Signed,

    /// <summary>The Ledger holds the transaction that did the work (the indexer stored its events).</summary>
    Done,
}

/// <summary>What a producer asks the outbox to do once: <see cref="Key"/> names the business operation.</summary>
/// <param name="Key">Unique per operation, e.g. <c>credits:&lt;burn signature&gt;</c>; enqueuing it again is a no-op.</param>
/// <param name="Kind">Which <see cref="IOutboxOperation"/> builds its transaction.</param>
/// <param name="Owner">The wallet the operation is for (listings), if any.</param>
/// <param name="Payload">JSON the operation reads to build the transaction.</param>
public sealed record OutboxEntry(string Key, string Kind, string? Owner, string Payload)
{
    /// <summary>An entry whose payload is <paramref name="payload"/> as JSON (read back with <see cref="OutboxIntent.PayloadAs{T}"/>).</summary>
    public static OutboxEntry Of<T>(string key, string kind, string? owner, T payload) => new(key, kind, owner, JsonSerializer.Serialize(payload));
}

/// <summary>An intent as stored, with its current transaction (if any) and every signature it ever had.</summary>
public sealed record OutboxIntent(
    string Key, string Kind, string? Owner, string Payload, OutboxState State, int Attempt,
    byte[]? Transaction, string? Signature, ulong? LastValidBlockHeight, int Sends, DateTimeOffset? SentAt, ulong? LandedSlot,
    IReadOnlyList<string> Signatures, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextTryAt,
    DateTimeOffset? CompletedAt, string? DoneSignature)
{
    /// <summary>The payload as the record it was enqueued from (<see cref="OutboxEntry.Of{T}"/>).</summary>
    public T PayloadAs<T>() =>
        JsonSerializer.Deserialize<T>(Payload) ?? throw new InvalidOperationException($"Outbox intent {Key} has no {typeof(T).Name} payload.");
}

/// <summary>The instructions of one attempt and the authority that pays its fee and signs it.</summary>
public sealed record OutboxTransaction(IAuthoritySigner FeePayer, IReadOnlyList<TransactionInstruction> Instructions);

/// <summary>
/// One kind of intent (credits, settlement): builds its transaction from the payload, and finds in the Ledger a
/// transaction that already did its work (by this outbox or anyone else), so nothing is built for work already done.
/// </summary>
public interface IOutboxOperation
{
    string Kind { get; }

    OutboxTransaction Build(OutboxIntent intent);

    /// <summary>The signature of a transaction in the Ledger that did the intent's work, or null.</summary>
    Task<string?> FindInLedgerAsync(OutboxIntent intent, CancellationToken cancellationToken);
}
