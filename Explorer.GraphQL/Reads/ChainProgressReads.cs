namespace IoNet.Explorer.Reads;

/// <summary>
/// How far the Ledger is: the newest slot the indexer has followed (its sources' checkpoints), the last stored event
/// (Marten's seq_id) and how far the projections have been built (the async daemon's progression).
/// </summary>
public sealed record ChainProgress(ulong IndexedSlot, long StoredEvents, long ProjectedEvents, DateTimeOffset? IndexedAt)
{
    public static ChainProgress Empty { get; } = new(0, 0, 0, null);
}

public sealed class ChainProgressReads(LedgerDb db)
{
    /// <summary>Two cheap statements (the checkpoint table may not exist where no indexer ever ran).</summary>
    public async Task<ChainProgress> ReadAsync(CancellationToken ct)
    {
        var events = await db.QueryAsync($"""
            select (select coalesce(max(seq_id), 0) from {db.Table("mt_events")}),
                   (select coalesce(min(last_seq_id), 0) from {db.Table("mt_event_progression")} where name like '%:%')
            """, null, r => (Stored: r.GetInt64(0), Projected: r.GetInt64(1)), ct).ConfigureAwait(false);
        var checkpoints = await db.QueryAsync(
            $"select coalesce(max((data->>'NewestSlot')::numeric), 0), max(mt_last_modified) from {db.Table("mt_doc_sourcecheckpoint")}",
            null, r => (Slot: (ulong)r.GetDecimal(0), At: r.IsDBNull(1) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(1)), ct).ConfigureAwait(false);
        var (stored, projected) = events.Count > 0 ? events[0] : (0, 0);
        var (slot, at) = checkpoints.Count > 0 ? checkpoints[0] : (0UL, null);
        return new ChainProgress(slot, stored, projected, at);
    }
}
