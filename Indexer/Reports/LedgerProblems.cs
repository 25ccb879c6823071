using System.Globalization;
using IoNet.Indexer.Store;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Network;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Vaults;
using IoNet.Ledger.Wallets;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using Marten;

namespace IoNet.Indexer.Reports;

/// <summary>
/// What makes the Ledger's numbers untrustworthy, each as one line: events a projection could not apply (an overflow
/// of u64), differences that went below zero (more out than in), credit purchases that do not match the burn they
/// name, transactions that could not be read, and transactions a source still waits for. `report` lists them,
/// `status` shows them, `verify` fails on any. Read the projections after they caught up: while they catch up,
/// events arrive out of chain order and a difference may be below zero for a while.
/// </summary>
public static class LedgerProblems
{
    public static async Task<IReadOnlyList<string>> FindAsync(IQuerySession q, IoNetAddresses network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(network);
        var problems = new List<string>();

        await Inconsistent<TokenSupply>(q, d => d.Id, problems, ct).ConfigureAwait(false);
        await Inconsistent<VaultBalance>(q, d => d.Id, problems, ct).ConfigureAwait(false);
        await Inconsistent<RentalEscrow>(q, d => d.Id, problems, ct).ConfigureAwait(false);
        await Inconsistent<WalletSummary>(q, d => d.Id, problems, ct).ConfigureAwait(false);
        await Inconsistent<DeviceEarnings>(q, d => d.Id, problems, ct).ConfigureAwait(false);
        await Inconsistent<RewardBlockPayouts>(q, d => d.Id, problems, ct).ConfigureAwait(false);
        await Inconsistent<NetworkTotals>(q, d => d.Id, problems, ct).ConfigureAwait(false);

        // Differences below zero. Filtered here, not in SQL: Marten's LINQ does not compare ulong members.
        foreach (var d in await q.Query<TokenSupply>().ToListAsync(ct).ConfigureAwait(false))
        {
            if (d.Circulating is null)
                problems.Add($"TokenSupply {d.Id}: burned {S(d.Burned)} exceeds minted {S(d.Minted)}");
        }
        foreach (var d in await q.Query<VaultBalance>().ToListAsync(ct).ConfigureAwait(false))
        {
            if (d.Balance is null)
                problems.Add($"VaultBalance {d.Id}: outflow {S(d.Outflow)} exceeds inflow {S(d.Inflow)}");
        }
        foreach (var d in await q.Query<RentalEscrow>().ToListAsync(ct).ConfigureAwait(false))
        {
            if (d.Balance is null)
                problems.Add($"RentalEscrow {d.Id}: settled {S(d.Settled)} and refunded {S(d.Refunded)} exceed funded {S(d.Funded)}");
        }
        foreach (var d in await q.Query<WalletSummary>().ToListAsync(ct).ConfigureAwait(false))
        {
            if (d.Staked is null)
                problems.Add($"WalletSummary {d.Id}: stake withdrawn {S(d.StakeWithdrawals)} and slashed {S(d.StakeSlashed)} exceed deposited {S(d.StakeDeposits)}");
        }
        foreach (var d in await q.Query<DeviceEarnings>().ToListAsync(ct).ConfigureAwait(false))
        {
            if (d.Staked is null)
                problems.Add($"DeviceEarnings {d.Id}: stake withdrawn {S(d.StakeWithdrawals)} and slashed {S(d.Slashed)} exceed deposited {S(d.StakeDeposits)}");
        }
        if (await q.LoadAsync<NetworkTotals>(NetworkTotals.DocumentId, ct).ConfigureAwait(false) is { Staked: null } totals)
            problems.Add($"NetworkTotals: stake withdrawn {S(totals.StakeWithdrawals)} and slashed {S(totals.Slashed)} exceed deposited {S(totals.StakeDeposits)}");

        await CreditsAsync(q, network, problems, ct).ConfigureAwait(false);

        foreach (var e in await q.Events.QueryRawEventDataOnly<TransactionUnreadable>().ToListAsync(ct).ConfigureAwait(false))
            problems.Add($"transaction {e.Signature} (slot {S(e.Slot)}) could not be read: {e.Reason}");

        foreach (var checkpoint in await q.Query<SourceCheckpoint>().ToListAsync(ct).ConfigureAwait(false))
        {
            if (checkpoint.Waiting is { } waiting)
                problems.Add($"source {checkpoint.Id} waits for {waiting}");
        }
        return problems;
    }

    /// <summary>Documents that recorded events they could not apply (<see cref="CheckedReadModel"/>).</summary>
    private static async Task Inconsistent<T>(IQuerySession q, Func<T, string> id, List<string> problems, CancellationToken ct)
        where T : CheckedReadModel
    {
        foreach (var d in await q.Query<T>().Where(d => d.InconsistencyCount > 0).ToListAsync(ct).ConfigureAwait(false))
        {
            var first = d.Inconsistencies.FirstOrDefault();
            problems.Add($"{typeof(T).Name} {id(d)}: {d.InconsistencyCount} event(s) not applied"
                + (first is null ? "" : $", first {first.Event} {first.Signature} at {first.Path}: {first.Message}"));
        }
    }

    /// <summary>
    /// Each CreditsPurchased against the burn its memo names (docs/onchain.md): that transaction burned exactly the
    /// memo's IO amount of the IO mint and nothing else, no other purchase names the same burn, and the IOSD minted
    /// is floor(io * rate / 10^decimals).
    /// </summary>
    private static async Task CreditsAsync(IQuerySession q, IoNetAddresses network, List<string> problems, CancellationToken ct)
    {
        var purchases = await q.Events.QueryRawEventDataOnly<CreditsPurchased>().ToListAsync(ct).ConfigureAwait(false);
        if (purchases.Count == 0)
            return;
        var named = purchases.Select(p => p.BurnSignature).Distinct(StringComparer.Ordinal).ToArray();
        var burns = (await q.Events.QueryRawEventDataOnly<TokensBurned>().Where(b => b.Signature.IsOneOf(named)).ToListAsync(ct).ConfigureAwait(false))
            .ToLookup(b => b.Signature, StringComparer.Ordinal);
        var io = network.Io.Address.ToString();
        foreach (var twice in purchases.GroupBy(p => p.BurnSignature, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"burn {twice.Key} is named by {twice.Count()} credit purchases: {string.Join(", ", twice.Select(p => p.Signature))}");
        foreach (var p in purchases)
        {
            var what = $"credits {p.Signature} (memo: {S(p.IoBurned)} IO burned in {p.BurnSignature})";
            var burned = burns[p.BurnSignature].ToList();
            if (burned.Count == 0)
            {
                problems.Add($"{what}: that burn is not in the ledger");
                continue;
            }
            foreach (var other in burned.Where(b => b.Mint != io))
                problems.Add($"{what}: that transaction burned {S(other.Amount)} of mint {other.Mint}, not IO");
            var ioBurned = burned.Where(b => b.Mint == io).Aggregate((UInt128)0, (sum, b) => sum + b.Amount);
            if (ioBurned != p.IoBurned)
                problems.Add($"{what}: that transaction burned {ioBurned} IO");
            if (!ulong.TryParse(p.UsdRate, NumberStyles.None, CultureInfo.InvariantCulture, out var rate))
            {
                problems.Add($"{what}: rate '{p.UsdRate}' is not an integer of micro-USD per IO");
                continue;
            }
            try
            {
                var expected = IoNetFlows.CreditsFor(p.IoBurned, rate, network.Io.Decimals);
                if (expected != p.IosdMinted)
                    problems.Add($"{what}: minted {S(p.IosdMinted)} IOSD, but {S(p.IoBurned)} IO at {S(rate)} micro-USD gives {S(expected)}");
            }
            catch (ProgramDecodeException e)
            {
                problems.Add($"{what}: {e.Message}");
            }
        }
    }

    private static string S(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
