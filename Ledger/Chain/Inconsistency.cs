namespace IoNet.Ledger.Chain;

/// <summary>An event a read model could not apply: its amount would take a sum past u64, which no real chain can do.</summary>
public sealed record Inconsistency(string Signature, string Path, string Event, string Message);
