using System.Globalization;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;
using IoNet.Programs.Flows;
using IoNet.Solana.Rpc;
using Marten;

namespace IoNet.Indexer.Reports;

/// <summary>Totals from the Ledger's projections and, for verify, the same totals straight from the chain.</summary>
public sealed record LedgerReport(
    IReadOnlyDictionary<string, MintTotals> Mints,
    IReadOnlyDictionary<string, string> VaultBalances,
    IReadOnlyDictionary<string, string> RewardsByWallet);

/// <summary>Amounts are strings of base units, so no JSON reader ever rounds them.</summary>
public sealed record MintTotals(string Minted, string Burned, string Supply);

public sealed record VerifyLine(string What, string Ledger, string Chain)
{
    public bool Agrees => Ledger == Chain;
}

public static class LedgerReports
{
    private static string S(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static async Task<LedgerReport> BuildAsync(IDocumentStore store, IoNetAddresses network, CancellationToken ct)
    {
        await using var q = store.QuerySession();
        var mints = new Dictionary<string, MintTotals>(StringComparer.Ordinal);
        foreach (var mint in network.Mints)
        {
            var supply = await q.LoadAsync<TokenSupply>(mint.Address.ToString(), ct).ConfigureAwait(false);
            mints[mint.Address.ToString()] = new MintTotals(S(supply?.Minted ?? 0), S(supply?.Burned ?? 0), S(supply?.Circulating ?? 0));
        }
        var escrows = await q.Query<RentalEscrow>().ToListAsync(ct).ConfigureAwait(false);
        var vaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mint in network.Mints)
            vaults[network.EscrowVault(mint).ToString()] = S(escrows.Where(e => e.Mint == mint.Address.ToString()).Aggregate(0UL, (sum, e) => checked(sum + e.Balance)));
        var devices = await q.Query<DeviceEarnings>().ToListAsync(ct).ConfigureAwait(false);
        vaults[network.StakeVault.ToString()] = S(devices.Aggregate(0UL, (sum, d) => checked(sum + d.Staked)));
        // Filtered here, not in SQL: Marten's LINQ does not compare ulong members.
        var wallets = await q.Query<WalletSummary>().ToListAsync(ct).ConfigureAwait(false);
        // Wallets sorted by address: the same ledger always prints the same report.
        return new LedgerReport(mints, vaults,
            new SortedDictionary<string, string>(wallets.Where(w => w.RewardsEarned > 0).ToDictionary(w => w.Id, w => S(w.RewardsEarned)), StringComparer.Ordinal));
    }

    /// <summary>Supply per mint and the escrow and stake vaults' balances: the Ledger against getTokenSupply / getTokenAccountBalance.</summary>
    public static async Task<IReadOnlyList<VerifyLine>> VerifyAsync(LedgerReport report, SolanaRpcClient rpc, IoNetAddresses network, CancellationToken ct)
    {
        var lines = new List<VerifyLine>();
        foreach (var mint in network.Mints)
        {
            var chain = (await rpc.GetTokenSupplyAsync(mint.Address.ToString(), cancellationToken: ct).ConfigureAwait(false)).Value.BaseUnits;
            lines.Add(new VerifyLine($"supply {mint.Address}", report.Mints[mint.Address.ToString()].Supply, S(chain)));
        }
        foreach (var (vault, ledger) in report.VaultBalances)
        {
            ulong chain;
            try
            {
                chain = (await rpc.GetTokenAccountBalanceAsync(vault, cancellationToken: ct).ConfigureAwait(false)).Value.BaseUnits;
            }
            catch (RpcException)
            {
                chain = 0; // the vault account does not exist yet
            }
            lines.Add(new VerifyLine($"vault {vault}", ledger, S(chain)));
        }
        return lines;
    }
}
