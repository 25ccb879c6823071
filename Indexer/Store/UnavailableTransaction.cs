namespace IoNet.Indexer.Store;

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
