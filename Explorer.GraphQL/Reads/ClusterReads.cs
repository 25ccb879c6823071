using IoNet.Ledger.Rentals;

namespace IoNet.Explorer.Reads;

public enum ClusterOrderBy { Id, FundedDescending }

public sealed record ClusterFilter(
    string? Payer = null, string? Mint = null, bool? Open = null, RentalStatus? Status = null, string? Supplier = null, string? Device = null);

/// <summary>
/// A cluster (a rental) as the explorer shows it: the marketplace's decisions (<see cref="Rental"/>: devices, price,
/// hours, status, settlement; null for a rental only the chain knows) and its money in the escrow vault
/// (<see cref="RentalEscrow"/>; zeros before the first payment is indexed).
/// </summary>
public sealed class ClusterRow
{
    public Rental? Rental { get; set; }

    public RentalEscrow? Escrow { get; set; }

    public string Id => Rental?.Id ?? Escrow?.Id ?? "";

    public RentalEscrow EscrowOrZero => Escrow ?? new RentalEscrow { Id = Id };

    /// <summary>Booked hours not yet served: all of them before it starts, none once it is over.</summary>
    public double? RemainingHours(DateTimeOffset now) => Rental switch
    {
        null => null,
        { Status: RentalStatus.AwaitingPayment } r => r.Hours,
        { Status: RentalStatus.Active, EndsAt: { } ends } => Math.Max(0, (ends - now).TotalHours),
        _ => 0,
    };
}

/// <summary>
/// Clusters: the marketplace's rentals (Rental, inline snapshot of each rental's stream) full-joined with each rental's
/// money in the escrow vault (RentalEscrow) and its funding, settlement and refund events; one statement per page or batch.
/// </summary>
public sealed class ClusterReads(LedgerDb db, DocumentReads documents, EventReads events)
{
    private const string Balance = "(coalesce((data->'Escrow'->>'Funded')::numeric, 0) - coalesce((data->'Escrow'->>'Settled')::numeric, 0) - coalesce((data->'Escrow'->>'Refunded')::numeric, 0))";

    public async Task<Page<ClusterRow>> PageAsync(ClusterFilter filter, ClusterOrderBy orderBy, PageRequest page, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (Source(null) is not { } source)
            return new Page<ClusterRow>([], false, false);
        var conditions = new List<EventCondition>();
        if (filter.Payer is { } payer)
            conditions.Add(new("coalesce(data->'Escrow'->>'Payer', data->'Rental'->>'Buyer') = {0}", payer));
        if (filter.Mint is { } mint)
            conditions.Add(new("(data->'Escrow'->>'Mint') = {0}", mint));
        if (filter.Open is { } open)
            conditions.Add(new(open ? Balance + " > {0}" : Balance + " = {0}", 0m));
        if (filter.Status is { } status)
            conditions.Add(new("(data->'Rental'->>'Status') = any({0})", DeviceReads.EnumForms(status)));
        if (filter.Supplier is { } supplier)
            conditions.Add(new("(data->'Rental'->'Suppliers') ? {0}", supplier));
        if (filter.Device is { } device)
            conditions.Add(new("(data->'Rental'->'Devices') @> jsonb_build_array(jsonb_build_object('Device', {0}::text))",
                Guid.TryParse(device, out var g) ? g.ToString("D") : device));
        var order = orderBy == ClusterOrderBy.FundedDescending
            ? new DocumentOrder("coalesce((data->'Escrow'->>'Funded')::numeric, 0)", true)
            : DocumentOrder.ById;
        return await documents.PageAsync<ClusterRow>(source, conditions, order, page, ct).ConfigureAwait(false);
    }

    public async Task<Dictionary<string, ClusterRow>> LoadManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await db.EnsureTablesKnownAsync(ct).ConfigureAwait(false);
        if (Source("$1") is not { } source)
            return [];
        return await documents.LoadManyAsync<ClusterRow>(source, ids, ct).ConfigureAwait(false);
    }

    /// <summary>The rentals full-joined with their escrow, as a derived table (id, data {Rental, Escrow}); null before either exists.</summary>
    private string? Source(string? idsParameter)
    {
        var where = idsParameter is null ? "" : $" where id = any({idsParameter})";
        var rentals = db.Has<Rental>() ? $"(select id, data from {db.DocumentTable<Rental>()}{where})" : null;
        var escrow = db.Has<RentalEscrow>() ? $"(select id, data from {db.DocumentTable<RentalEscrow>()}{where})" : null;
        return (rentals, escrow) switch
        {
            ({ } r, { } e) => $"(select coalesce(r.id, e.id) as id, jsonb_build_object('Rental', r.data, 'Escrow', e.data) as data from {r} r full outer join {e} e on e.id = r.id) as clusters",
            ({ } r, null) => $"(select id, jsonb_build_object('Rental', data) as data from {r} r) as clusters",
            (null, { } e) => $"(select id, jsonb_build_object('Escrow', data) as data from {e} e) as clusters",
            _ => null,
        };
    }

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
