namespace IoNet.Indexer.Store;

/// <summary>
/// Where the crawler stores a chunk of decoded transactions with its source's checkpoint, in one database transaction
/// fenced by the source's lease: <see cref="ChainEventWriter"/> (Marten's append; inline projections run) or
/// <see cref="BulkChainEventWriter"/> (binary COPY for backfills; async projections only).
/// </summary>
public interface IChainEventSink
{
    /// <summary>Stores what is new in <paramref name="batch"/> and the checkpoint; returns how many transactions it appended.</summary>
    Task<int> AppendAsync(string source, string holder, IReadOnlyList<TransactionEvents> batch, SourceCheckpoint checkpoint, CancellationToken ct);

    Task EnsureSchemaAsync(CancellationToken ct);
}
