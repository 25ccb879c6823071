namespace IoNet.Indexer.Store;

/// <summary>
/// How far a tracked source (an address) has been crawled: the newest signature followed so far and, while the
/// backfill runs, the oldest one reached. Stored in the same database transaction as the events it covers.
/// </summary>
public sealed class SourceCheckpoint
{
    /// <summary>The source's name, e.g. "mint:BZLb…" or "vault:escrow-iosd".</summary>
    public string Id { get; set; } = "";

    public string? NewestSignature { get; set; }
    public ulong NewestSlot { get; set; }
    public string? OldestSignature { get; set; }
    public bool BackfillDone { get; set; }
    public long TransactionsSeen { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// A transaction the node lists but could not serve on the last pass: the checkpoint stays where it is (below it
    /// during backfill, before it while following) until it is stored; `status` shows it and `verify` fails on it.
    /// </summary>
    public UnavailableTransaction? Waiting { get; set; }
}
