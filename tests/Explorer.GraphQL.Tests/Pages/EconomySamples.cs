using System.Globalization;
using IoNet.ExplorerGraphQL.Tests.Support;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Wallets;
using Marten;

namespace IoNet.ExplorerGraphQL.Tests.Pages;

/// <summary>Things of the seeded economy to open pages for, read from the projections (Marten), not from the explorer.</summary>
public sealed record EconomySamples(
    DeviceEarnings Device, RentalEscrow SettledCluster, WalletSummary Supplier, WalletSummary Buyer, RewardBlockPayouts Block, string RewardSignature)
{
    public static async Task<EconomySamples> ReadAsync(ExplorerEconomy economy, CancellationToken ct)
    {
        await economy.CaughtUpAsync(ct);
        await using var q = economy.Store.QuerySession();
        var devices = await q.Query<DeviceEarnings>().ToListAsync(ct);
        var device = devices.Where(d => d.Rewards > 0).OrderByDescending(d => d.RewardsByBlock.Count).ThenBy(d => d.Id, StringComparer.Ordinal).First();
        var clusters = await q.Query<RentalEscrow>().ToListAsync(ct);
        var cluster = clusters.Where(c => c.Settled > 0).OrderBy(c => c.Id, StringComparer.Ordinal).First();
        var wallets = await q.Query<WalletSummary>().ToListAsync(ct);
        var supplier = wallets.Where(w => w.RewardsEarned > 0).OrderBy(w => w.Id, StringComparer.Ordinal).First();
        var buyer = wallets.Where(w => w.RentalsPaid.Count > 0 && w.IosdBought > 0).OrderBy(w => w.Id, StringComparer.Ordinal).FirstOrDefault()
            ?? wallets.Where(w => w.RentalsPaid.Count > 0).OrderBy(w => w.Id, StringComparer.Ordinal).First();
        var blocks = await q.Query<RewardBlockPayouts>().ToListAsync(ct);
        var block = blocks.OrderByDescending(b => b.ByDevice.Count).ThenBy(b => ulong.Parse(b.Id, CultureInfo.InvariantCulture)).First();
        var reward = (await q.Events.QueryRawEventDataOnly<RewardPaid>().ToListAsync(ct)).First(r => r.Device == device.Id);
        return new EconomySamples(device, cluster, supplier, buyer, block, reward.Signature);
    }
}
