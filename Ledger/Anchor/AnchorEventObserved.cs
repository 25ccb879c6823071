using IoNet.Ledger.Chain;

namespace IoNet.Ledger.Anchor;

/// <summary>An event of a configured Anchor program, decoded from its IDL; <paramref name="Data"/> is the event as JSON with exact integers.</summary>
public sealed record AnchorEventObserved(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Program, string Name, string Data) : IChainEvent;
