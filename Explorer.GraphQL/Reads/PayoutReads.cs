using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;

namespace IoNet.Explorer.Reads;

public enum PayoutKind { Reward, RentalSettlement }

/// <summary>Money paid out to a supplier: a block reward from the treasury, or a rental's settlement from the escrow vault.</summary>
public sealed record Payout(LedgerEventRecord Record)
{
    public PayoutKind Kind => Record.Event is RewardPaid ? PayoutKind.Reward : PayoutKind.RentalSettlement;
    public string Signature => Record.Signature;
    public ulong Slot => Record.Event.Slot;
    public long? BlockTime => Record.Event.BlockTime;
    public string Path => Record.Event.Path;
    public string Recipient => Record.Event switch { RewardPaid r => r.Worker, RentalSettled s => s.Supplier, _ => "" };
    public string Mint => Record.Event switch { RewardPaid r => r.Mint, RentalSettled s => s.Mint, _ => "" };
    public ulong Amount => Record.Event switch { RewardPaid r => r.Amount, RentalSettled s => s.Amount, _ => 0 };
    public string? Device => (Record.Event as RewardPaid)?.Device;
    public ulong? RewardBlock => (Record.Event as RewardPaid)?.Block;
    public string? Cluster => (Record.Event as RentalSettled)?.Rental;
}

/// <summary>Which payouts: every set field narrows; times are Unix seconds, from inclusive, to exclusive.</summary>
public sealed record PayoutFilter(
    string? Wallet = null, string? Device = null, ulong? RewardBlock = null, string? Cluster = null, string? Mint = null,
    long? FromTime = null, long? ToTime = null, PayoutKind? Kind = null);

public sealed class PayoutReads(LedgerDb db, EventReads events)
{
    /// <summary>The recipient of either payout kind: one expression, so one index serves "payouts of a wallet".</summary>
    public const string RecipientSql = "coalesce(data->>'Worker', data->>'Supplier')";

    public async Task<Page<Payout>> PageAsync(PayoutFilter filter, PageRequest page, bool newestFirst, CancellationToken ct)
    {
        var rewards = filter.Kind != PayoutKind.RentalSettlement && filter.Cluster is null;
        var settlements = filter.Kind != PayoutKind.Reward && filter.Device is null && filter.RewardBlock is null;
        if (!rewards && !settlements)
            return new Page<Payout>([], false, false);
        List<string> aliases = [];
        if (rewards)
            aliases.Add(db.Alias<RewardPaid>());
        if (settlements)
            aliases.Add(db.Alias<RentalSettled>());
        var conditions = new List<EventCondition>();
        if (filter.Wallet is { } wallet)
            conditions.Add(new(RecipientSql + " = {0}", wallet));
        if (filter.Device is { } device)
            conditions.Add(new("(data->>'Device') = {0}", Ids.Normalize(device)));
        if (filter.RewardBlock is { } block)
            conditions.Add(new("(data->>'Block') = {0}", block.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (filter.Cluster is { } cluster)
            conditions.Add(new("(data->>'Rental') = {0}", Ids.Normalize(cluster)));
        if (filter.Mint is { } mint)
            conditions.Add(new("data->>'Mint' = {0}", mint));
        if (filter.FromTime is { } from)
            conditions.Add(new("(data->>'BlockTime')::bigint >= {0}", from));
        if (filter.ToTime is { } to)
            conditions.Add(new("(data->>'BlockTime')::bigint < {0}", to));
        var result = await events.PageAsync(aliases, conditions, page, newestFirst, ct).ConfigureAwait(false);
        return new Page<Payout>(result.Items.Select(i => (new Payout(i.Node), i.Cursor)).ToList(), result.HasPreviousPage, result.HasNextPage);
    }

    /// <summary>The newest reward payouts of each device (batched: one statement for all devices asked for).</summary>
    public async Task<Dictionary<string, List<Payout>>> NewestOfDevicesAsync(IReadOnlyCollection<string> devices, int perDevice, CancellationToken ct) =>
        (await events.FirstPerKeyAsync([db.Alias<RewardPaid>()], "(data->>'Device')", devices, perDevice, ct).ConfigureAwait(false))
            .ToDictionary(p => p.Key, p => p.Value.Select(r => new Payout(r)).ToList(), StringComparer.Ordinal);

    /// <summary>The newest reward payouts of each reward block (batched).</summary>
    public async Task<Dictionary<string, List<Payout>>> NewestOfBlocksAsync(IReadOnlyCollection<string> blocks, int perBlock, CancellationToken ct) =>
        (await events.FirstPerKeyAsync([db.Alias<RewardPaid>()], "(data->>'Block')", blocks, perBlock, ct).ConfigureAwait(false))
            .ToDictionary(p => p.Key, p => p.Value.Select(r => new Payout(r)).ToList(), StringComparer.Ordinal);
}
