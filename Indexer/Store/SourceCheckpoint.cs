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

/// <summary>A listed transaction the node could not serve: since when, how often it was asked for, and what the node said.</summary>
public sealed class UnavailableTransaction
{
    public string Signature { get; set; } = "";
    public ulong Slot { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset Since { get; set; }
    public DateTimeOffset LastAttempt { get; set; }

    /// <summary>"no transaction" (a null answer) or the node's error, e.g. "RPC getTransaction failed with -32004: Block not available for slot 412".</summary>
    public string Reason { get; set; } = "";

    public override string ToString() =>
        $"{Signature} (slot {Slot}): the node could not serve it ({Reason}); {Attempts} attempt(s) since {Since:u}";
}
