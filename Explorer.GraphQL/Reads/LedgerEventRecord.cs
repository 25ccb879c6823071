using IoNet.Ledger.Chain;

namespace IoNet.Explorer.Reads;

/// <summary>A stored Ledger event: its place in the event table (Marten's seq_id), its transaction's signature and the event.</summary>
public sealed record LedgerEventRecord(long Sequence, string Signature, IChainEvent Event)
{
    public string Cursor => Cursors.Encode(EventReads.CursorKind, checked((long)Event.Slot), Sequence);
}
