namespace IoNet.Explorer.Reads;

/// <summary>A transaction as the Ledger holds it: its stream (keyed by the signature) of events, in instruction order.</summary>
public sealed record LedgerTransaction(string Signature, IReadOnlyList<LedgerEventRecord> Events)
{
    public ulong Slot => Events[0].Event.Slot;
    public long? BlockTime => Events[0].Event.BlockTime;
}

public sealed class TransactionReads(EventReads events)
{
    /// <summary>The transactions with these signatures that the Ledger holds events of (one statement).</summary>
    public async Task<Dictionary<string, LedgerTransaction>> LoadManyAsync(IReadOnlyCollection<string> signatures, CancellationToken ct)
    {
        var found = await events.BySignaturesAsync(signatures, ct).ConfigureAwait(false);
        return found.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => new LedgerTransaction(p.Key, p.Value), StringComparer.Ordinal);
    }
}
