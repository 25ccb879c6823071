namespace IoNet.Ledger.Chain;

/// <summary>
/// A transaction the indexer could not turn into events: the node's answer did not decode, or it held a value no
/// successful transaction can have (a fee above its amount). Recorded in the transaction's stream (path "tx") instead
/// of dropping it, so it is never fetched again as if missing, and `status` and `verify` report it.
/// </summary>
public sealed record TransactionUnreadable(
    string Signature, ulong Slot, long? BlockTime, string Path, string Reason) : IChainEvent
{
    public const string TransactionPath = "tx";
}
