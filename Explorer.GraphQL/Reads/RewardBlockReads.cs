using IoNet.Ledger.Rewards;

namespace IoNet.Explorer.Reads;

/// <summary>Reward blocks (RewardBlockPayouts): what the treasury paid in each, per device; newest (highest number) first.</summary>
public sealed class RewardBlockReads(LedgerDb db, DocumentReads documents)
{
    public Task<Page<RewardBlockPayouts>> PageAsync(PageRequest page, bool newestFirst, CancellationToken ct) =>
        documents.PageAsync<RewardBlockPayouts>(db.DocumentTable<RewardBlockPayouts>(), [], new DocumentOrder("(id::numeric)", newestFirst), page, ct);

    public Task<Dictionary<string, RewardBlockPayouts>> LoadManyAsync(IReadOnlyCollection<string> numbers, CancellationToken ct) =>
        documents.LoadManyAsync<RewardBlockPayouts>(db.DocumentTable<RewardBlockPayouts>(), numbers, ct);
}
