using IoNet.Ledger.Rentals;

namespace IoNet.Explorer.Reads;

public enum ClusterOrderBy { Id, FundedDescending }

public sealed record ClusterFilter(string? Payer = null, string? Mint = null, bool? Open = null);

/// <summary>
/// Clusters as the Ledger knows them today: each rental's money in the escrow vault (RentalEscrow), with its funding,
/// settlement and refund events. Devices, price, hours and termination arrive with the Marketplace issue.
/// </summary>
public sealed class ClusterReads(LedgerDb db, DocumentReads documents, EventReads events)
{
    private const string Balance = "((data->>'Funded')::numeric - (data->>'Settled')::numeric - (data->>'Refunded')::numeric)";

    public Task<Page<RentalEscrow>> PageAsync(ClusterFilter filter, ClusterOrderBy orderBy, PageRequest page, CancellationToken ct)
    {
        var conditions = new List<EventCondition>();
        if (filter.Payer is { } payer)
            conditions.Add(new("(data->>'Payer') = {0}", payer));
        if (filter.Mint is { } mint)
            conditions.Add(new("(data->>'Mint') = {0}", mint));
        if (filter.Open is { } open)
            conditions.Add(new(open ? Balance + " > {0}" : Balance + " = {0}", 0m));
        var order = orderBy == ClusterOrderBy.FundedDescending ? new DocumentOrder("((data->>'Funded')::numeric)", true) : DocumentOrder.ById;
        return documents.PageAsync<RentalEscrow>(db.DocumentTable<RentalEscrow>(), conditions, order, page, ct);
    }

    public Task<Dictionary<string, RentalEscrow>> LoadManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        documents.LoadManyAsync<RentalEscrow>(db.DocumentTable<RentalEscrow>(), ids, ct);

    /// <summary>One cluster's escrow events (fundings, settlements, refunds), a keyset page in chain order.</summary>
    public Task<Page<LedgerEventRecord>> EventsPageAsync(string cluster, PageRequest page, bool newestFirst, CancellationToken ct) =>
        events.PageAsync([db.Alias<RentalFunded>(), db.Alias<RentalSettled>(), db.Alias<RentalRefunded>()],
            [new("(data->>'Rental') = {0}", Ids.Normalize(cluster))], page, newestFirst, ct);

    /// <summary>Each cluster's escrow events (fundings, settlements, refunds) in chain order, newest <paramref name="perCluster"/> at most; one statement.</summary>
    public async Task<Dictionary<string, List<LedgerEventRecord>>> EventsOfAsync(IReadOnlyCollection<string> clusters, int perCluster, CancellationToken ct)
    {
        var found = await events.FirstPerKeyAsync(
            [db.Alias<RentalFunded>(), db.Alias<RentalSettled>(), db.Alias<RentalRefunded>()], "(data->>'Rental')", clusters, perCluster, ct).ConfigureAwait(false);
        foreach (var list in found.Values)
            list.Reverse();
        return found;
    }
}
