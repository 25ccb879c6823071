using System.Buffers.Binary;
using System.Globalization;
using IoNet.Ledger.Vaults;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Wallets;
using IoNet.Programs.Flows;
using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using Marten;

namespace IoNet.Indexer.Reports;

/// <summary>
/// Totals from the Ledger's projections: per mint, per tracked vault (keyed by its token account), rewards per wallet,
/// and every <see cref="LedgerProblems">problem</see> that makes the numbers untrustworthy.
/// </summary>
public sealed record LedgerReport(
    IReadOnlyDictionary<string, MintTotals> Mints,
    IReadOnlyDictionary<string, VaultTotals> Vaults,
    IReadOnlyDictionary<string, string> RewardsByWallet,
    IReadOnlyList<string> Problems)
{
    /// <summary>The report for a terminal: a line per mint, per vault, per problem.</summary>
    public string ToText() => string.Join(Environment.NewLine, [
        .. Mints.Select(m => $"mint {m.Key}: minted {m.Value.Minted}, burned {m.Value.Burned}, supply {m.Value.Supply ?? "inconsistent"}"),
        .. Vaults.Select(v => $"vault {v.Value.Name} {v.Key}: in {v.Value.Inflow}, out {v.Value.Outflow}, balance {v.Value.Balance ?? "inconsistent"}"
            + $" (unattributed: in {v.Value.UnattributedInflow}, out {v.Value.UnattributedOutflow})"),
        .. Problems.Select(p => $"problem: {p}"),
    ]);
}

/// <summary>Amounts are strings of base units, so no JSON reader ever rounds them; Supply is null while burned exceeds minted.</summary>
public sealed record MintTotals(string Minted, string Burned, string? Supply);

/// <summary>
/// A tracked vault: what came in and went out (the unattributed part of each: movements no IoNet flow accounts for),
/// and the balance that leaves (null while the outflow exceeds the inflow).
/// </summary>
public sealed record VaultTotals(string Name, string Mint, string Inflow, string Outflow, string? Balance, string UnattributedInflow, string UnattributedOutflow);

/// <summary>One check of verify: the Ledger's value against the chain's, or a problem of the Ledger itself.</summary>
public sealed record VerifyLine(string What, string Ledger, string Chain)
{
    /// <summary>A problem the Ledger has on its own (<see cref="LedgerProblems"/>): never agrees.</summary>
    public bool IsProblem { get; init; }

    public bool Agrees => !IsProblem && Ledger == Chain;

    public string Text => IsProblem ? $"FAIL {What}" : $"{(Agrees ? "ok  " : "DIFF")} {What}: ledger {Ledger}, chain {Chain}";

    public static VerifyLine Problem(string problem) => new(problem, "", "") { IsProblem = true };
}

public static class LedgerReports
{
    private static string S(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tracked vaults, named as their sources are: the escrow vault per mint, the rewards treasury, the stake vault.</summary>
    public static IReadOnlyList<(string Name, PublicKey Account, MintInfo Mint)> TrackedVaults(IoNetAddresses network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return
        [
            ("escrow-iosd", network.EscrowVault(network.Iosd), network.Iosd),
            ("escrow-io", network.EscrowVault(network.Io), network.Io),
            ("escrow-usdc", network.EscrowVault(network.Usdc), network.Usdc),
            ("treasury", network.TreasuryVault, network.Io),
            ("stake", network.StakeVault, network.Io),
        ];
    }

    public static async Task<LedgerReport> BuildAsync(IDocumentStore store, IoNetAddresses network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var q = store.QuerySession();
        var mints = new Dictionary<string, MintTotals>(StringComparer.Ordinal);
        foreach (var mint in network.Mints)
        {
            var supply = await q.LoadAsync<TokenSupply>(mint.Address.ToString(), ct).ConfigureAwait(false) ?? new TokenSupply();
            mints[mint.Address.ToString()] = new MintTotals(S(supply.Minted), S(supply.Burned), supply.Circulating is { } c ? S(c) : null);
        }
        var vaults = new Dictionary<string, VaultTotals>(StringComparer.Ordinal);
        foreach (var (name, account, mint) in TrackedVaults(network))
        {
            var v = await q.LoadAsync<VaultBalance>(account.ToString(), ct).ConfigureAwait(false) ?? new VaultBalance();
            vaults[account.ToString()] = new VaultTotals(name, mint.Address.ToString(), S(v.Inflow), S(v.Outflow), v.Balance is { } b ? S(b) : null,
                S(v.UnattributedInflow), S(v.UnattributedOutflow));
        }
        // Filtered here, not in SQL: Marten's LINQ does not compare ulong members.
        var wallets = await q.Query<WalletSummary>().ToListAsync(ct).ConfigureAwait(false);
        var problems = await LedgerProblems.FindAsync(q, network, ct).ConfigureAwait(false);
        // Wallets sorted by address: the same ledger always prints the same report.
        return new LedgerReport(mints, vaults,
            new SortedDictionary<string, string>(wallets.Where(w => w.RewardsEarned > 0).ToDictionary(w => w.Id, w => S(w.RewardsEarned)), StringComparer.Ordinal),
            problems);
    }

    /// <summary>
    /// Supply per mint (getTokenSupply) and every tracked vault's balance (getAccountInfo) against the Ledger, and each
    /// of the Ledger's own problems as a failing line. A vault account that does not exist holds 0; any RPC failure
    /// (timeout, 429, 5xx, transport) is an error, never a balance.
    /// </summary>
    public static async Task<IReadOnlyList<VerifyLine>> VerifyAsync(LedgerReport report, SolanaRpcClient rpc, IoNetAddresses network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(network);
        var lines = new List<VerifyLine>();
        foreach (var mint in network.Mints)
        {
            var chain = await ReadAsync($"the supply of mint {mint.Address}",
                async () => (await rpc.GetTokenSupplyAsync(mint.Address.ToString(), cancellationToken: ct).ConfigureAwait(false)).Value.BaseUnits).ConfigureAwait(false);
            lines.Add(new VerifyLine($"supply {mint.Address}", report.Mints[mint.Address.ToString()].Supply ?? "inconsistent", S(chain)));
        }
        foreach (var (name, account, mint) in TrackedVaults(network))
        {
            var ledger = report.Vaults.TryGetValue(account.ToString(), out var v) ? v.Balance ?? "inconsistent" : "missing";
            var chain = await ReadAsync($"vault {name} ({account})",
                async () => VaultBalanceOf((await rpc.GetAccountInfoAsync(account.ToString(), AccountEncoding.Base64, cancellationToken: ct).ConfigureAwait(false)).Value, account, mint))
                .ConfigureAwait(false);
            lines.Add(new VerifyLine($"vault {name} {account}", ledger, chain));
        }
        lines.AddRange(report.Problems.Select(VerifyLine.Problem));
        return lines;
    }

    private static async Task<T> ReadAsync<T>(string what, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new SolanaException($"verify could not read {what} from the chain: {e.Message}", e);
        }
    }

    /// <summary>A token account's amount (SPL layout: mint, owner, amount u64 LE at 64); "0" when the account does not exist.</summary>
    private static string VaultBalanceOf(AccountInfo? account, PublicKey address, MintInfo mint)
    {
        if (account is null)
            return "0";
        if (account.Owner != mint.TokenProgram.ToString() || account.Data.Bytes is not { Length: >= 72 } data)
            return $"not a token account (owner {account.Owner})";
        if (new PublicKey(data.AsSpan(0, PublicKey.Length)) != mint.Address)
            return $"a token account of another mint ({new PublicKey(data.AsSpan(0, PublicKey.Length))}, not {mint.Address}) at {address}";
        return S(BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(64, 8)));
    }
}
