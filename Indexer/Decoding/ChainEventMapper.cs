using System.Globalization;
using IoNet.Ledger.Anchor;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Vaults;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
using IoNet.Solana;
using IoNet.Solana.Keys;

namespace IoNet.Indexer.Decoding;

/// <summary>
/// From a decoded transaction to the Ledger's events (pure). Only successful transactions count (a failed one moves
/// nothing); a memo applies to the next top-level instruction (docs/onchain.md). Mints and burns of tracked mints are
/// always recorded; a transfer becomes a flow (RentalFunded, RewardPaid, …) when its memo and accounts say which; and
/// every token movement into or out of a tracked vault that no flow accounts for — top-level or inner (CPI), with or
/// without a memo — is recorded as <see cref="VaultDeposited"/> / <see cref="VaultWithdrawn"/>, so the vaults'
/// balances follow from the Ledger alone. A vault balance change that the node reports but the instructions do not
/// explain is recorded as a "balance change" and reported. What is not understood is reported, never guessed; a value
/// no successful transaction can hold throws a <see cref="SolanaException"/>.
/// </summary>
public static class ChainEventMapper
{
    public sealed record Result(IReadOnlyList<IChainEvent> Events, IReadOnlyList<string> Ignored);

    public static Result Map(DecodedTransaction tx, IoNetAddresses network, AnchorEventParser? anchor = null)
    {
        var events = new List<IChainEvent>();
        var ignored = new List<string>();
        if (!tx.Succeeded)
            return new Result(events, ignored);
        var context = new Context(tx, network, VaultsOf(network), events, ignored);
        IoNetMemo? pending = null;
        foreach (var ix in tx.Instructions)
        {
            if (ix.IsTopLevel && ix.Instruction is MemoInstruction memo)
            {
                pending = IoNetMemo.TryParse(memo.Text);
                continue;
            }
            var applies = ix.IsTopLevel ? pending : null;
            if (ix.IsTopLevel)
                pending = null;
            if (ix.Instruction is Batch batch)
            {
                var k = 0;
                foreach (var inner in batch.Normalized)
                    context.Token(inner, $"{ix.Path}.b{k++}", applies);
            }
            else if (ix.Instruction is TokenInstruction token)
            {
                context.Token(token, ix.Path, applies);
            }
        }
        context.Reconcile();
        if (anchor is not null)
            AnchorEvents(tx, anchor, events, ignored);
        return new Result(events, ignored);
    }

    /// <summary>
    /// Events of the configured Anchor programs: `Program data:` lines (path "I.logN": top-level instruction I, log
    /// line N) and emit_cpi! inner instructions (their own path "I.J"). A line that does not decode is reported and
    /// the transaction's other events are still recorded.
    /// </summary>
    private static void AnchorEvents(DecodedTransaction tx, AnchorEventParser anchor, List<IChainEvent> events, List<string> ignored)
    {
        var sig = tx.Signature.ToString();
        IReadOnlyList<AnchorEvent> found;
        var inner = tx.Instructions.Where(i => !i.IsTopLevel).Select(i =>
        {
            var dot = i.Path.IndexOf('.', StringComparison.Ordinal);
            return new InnerInstructionData(int.Parse(i.Path[..dot], CultureInfo.InvariantCulture), int.Parse(i.Path[(dot + 1)..], CultureInfo.InvariantCulture), i.ProgramId, i.Data);
        }).ToList();
        try
        {
            found = [.. anchor.ParseLogs(tx.LogMessages), .. anchor.ParseInnerInstructions(inner)];
        }
        catch (AnchorCoderException e)
        {
            ignored.Add($"{sig}: Anchor event that does not decode: {e.Message}");
            var lenient = anchor.Lenient();
            found = [.. lenient.ParseLogs(tx.LogMessages), .. lenient.ParseInnerInstructions(inner)];
        }
        foreach (var e in found)
        {
            var path = e.Origin switch
            {
                AnchorEventOrigin.LogLine line => $"{TopLevelOf(tx.LogMessages, line.Index)}.log{line.Index}",
                AnchorEventOrigin.InnerInstruction ix => $"{ix.InstructionIndex}.{ix.Position}",
                _ => throw new InvalidOperationException("unknown event origin"),
            };
            events.Add(new AnchorEventObserved(sig, tx.Slot, tx.BlockTime, path, e.ProgramId.ToString(), e.Name, e.Data.ToJsonString()));
        }
    }

    /// <summary>The top-level instruction a log line belongs to: the number of depth-1 invokes before it, less one.</summary>
    private static int TopLevelOf(IReadOnlyList<string> logs, int lineIndex)
    {
        var top = -1;
        for (var i = 0; i <= lineIndex && i < logs.Count; i++)
        {
            if (logs[i].StartsWith("Program ", StringComparison.Ordinal) && logs[i].EndsWith(" invoke [1]", StringComparison.Ordinal))
                top++;
        }
        return top;
    }

    /// <summary>
    /// The vaults' addresses, derived once per network: each is a program-derived address (SHA-256 rounds and a curve
    /// check, ~10 µs), and every token movement is compared against all of them.
    /// </summary>
    private sealed class Vaults
    {
        private readonly Dictionary<PublicKey, MintInfo> _mintOf = [];
        private readonly Dictionary<MintInfo, PublicKey> _escrow = [];

        public Vaults(IoNetAddresses network)
        {
            foreach (var mint in network.Mints.Distinct())
            {
                _escrow[mint] = network.EscrowVault(mint);
                _mintOf[_escrow[mint]] = mint;
            }
            Treasury = network.TreasuryVault;
            Stake = network.StakeVault;
            _mintOf[Treasury] = network.Io;
            _mintOf[Stake] = network.Io;
        }

        public PublicKey Treasury { get; }

        public PublicKey Stake { get; }

        public PublicKey? Escrow(MintInfo mint) => _escrow.TryGetValue(mint, out var vault) ? vault : null;

        /// <summary>The mint of a tracked vault; null for any other account.</summary>
        public MintInfo? MintOf(PublicKey account) => _mintOf.TryGetValue(account, out var mint) ? mint : null;

        public bool Contains(PublicKey account) => _mintOf.ContainsKey(account);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IoNetAddresses, Vaults> VaultCache = [];

    private static Vaults VaultsOf(IoNetAddresses network) => VaultCache.GetValue(network, n => new Vaults(n));

    private sealed class Context(DecodedTransaction tx, IoNetAddresses network, Vaults vaults, List<IChainEvent> events, List<string> ignored)
    {
        private readonly string _sig = tx.Signature.ToString();

        // Per vault, what the recorded events moved in (+) and out (-) in this transaction, to compare with its balances.
        private readonly Dictionary<PublicKey, Int128> _moved = [];

        public void Token(TokenInstruction instruction, string path, IoNetMemo? memo)
        {
            var name = instruction.GetType().Name;
            switch (instruction)
            {
                case MintTo m: Minted(path, name, m.Mint, m.Destination, m.Amount, memo); break;
                case MintToChecked m: Minted(path, name, m.Mint, m.Destination, m.Amount, memo); break;
                case Burn b: Burned(path, name, b.Mint, b.Account, b.Authority, b.Amount, memo); break;
                case BurnChecked b: Burned(path, name, b.Mint, b.Account, b.Authority, b.Amount, memo); break;
                case TransferChecked t: Moved(path, name, t.Mint, t.Source, t.Destination, t.Authority, t.Amount, t.Amount, memo); break;
                case TransferCheckedWithFee t:
                    // The source pays the amount, the destination receives it less the fee (withheld in its account).
                    if (t.Fee > t.Amount)
                        throw new SolanaException($"instruction {path}: TransferCheckedWithFee withholds a fee of {t.Fee}, more than its amount {t.Amount}, in a successful transaction");
                    Moved(path, name, t.Mint, t.Source, t.Destination, t.Authority, t.Amount, t.Amount - t.Fee, memo);
                    break;
                case Transfer t when MintOfTransfer(t) is { } mint:
                    Moved(path, name, mint, t.Source, t.Destination, t.Authority, t.Amount, t.Amount, memo);
                    break;
                default: break;
            }
        }

        /// <summary>
        /// A vault's balance change that the recorded events do not account for (an instruction IoNet does not
        /// decode, a fee a Token-2022 mint withholds) is recorded as it is, and reported.
        /// </summary>
        public void Reconcile()
        {
            if (tx.TokenBalanceChanges is not { } changes)
                return;
            foreach (var (account, change) in changes)
            {
                if (vaults.MintOf(account) is not { } mint)
                    continue;
                var delta = (Int128)change.Post - change.Pre;
                var unexplained = delta - _moved.GetValueOrDefault(account);
                if (unexplained == 0)
                    continue;
                var path = $"balance.{IndexOf(account)}";
                if (Int128.Abs(unexplained) > ulong.MaxValue)
                    throw new SolanaException($"vault {account} went from {change.Pre} to {change.Post} while its instructions move {_moved.GetValueOrDefault(account)}: no u64 amount explains that");
                var amount = (ulong)Int128.Abs(unexplained);
                events.Add(unexplained > 0
                    ? new VaultDeposited(_sig, tx.Slot, tx.BlockTime, path, account.ToString(), mint.Address.ToString(), "", amount, "balance change")
                    : new VaultWithdrawn(_sig, tx.Slot, tx.BlockTime, path, account.ToString(), mint.Address.ToString(), "", amount, "balance change"));
                ignored.Add($"{_sig}: vault {account} went from {change.Pre} to {change.Post} but its instructions move {_moved.GetValueOrDefault(account)}; the difference is recorded as a balance change");
            }
        }

        private int IndexOf(PublicKey account)
        {
            for (var i = 0; i < tx.AccountKeys.Count; i++)
            {
                if (tx.AccountKeys[i] == account)
                    return i;
            }
            return -1;
        }

        /// <summary>A plain Transfer names no mint: its accounts' mint as the node's token balances or the vaults say.</summary>
        private PublicKey? MintOfTransfer(Transfer t) =>
            tx.TokenAccounts.TryGetValue(t.Source, out var source) ? source.Mint
            : tx.TokenAccounts.TryGetValue(t.Destination, out var destination) ? destination.Mint
            : (vaults.MintOf(t.Source) ?? vaults.MintOf(t.Destination))?.Address;

        private void Minted(string path, string instruction, PublicKey mint, PublicKey account, ulong amount, IoNetMemo? memo)
        {
            if (network.MintOf(mint) is null)
                return;
            var owner = Owner(account);
            events.Add(new TokensMinted(_sig, tx.Slot, tx.BlockTime, path, mint.ToString(), account.ToString(), owner, amount));
            if (memo is CreditsMemo credits && mint == network.Iosd.Address)
                events.Add(new CreditsPurchased(_sig, tx.Slot, tx.BlockTime, path, owner, credits.BurnSignature, credits.IoBurned, amount,
                    credits.RateMicroUsd.ToString(CultureInfo.InvariantCulture)));
            else if (memo is not null)
                ignored.Add($"{_sig} {path}: memo '{memo.Text}' does not describe a mint");
            if (vaults.Contains(account))
                Deposited(path, instruction, account, mint, mint, amount);
        }

        private void Burned(string path, string instruction, PublicKey mint, PublicKey account, PublicKey authority, ulong amount, IoNetMemo? memo)
        {
            if (network.MintOf(mint) is null)
                return;
            var m = mint.ToString();
            switch (memo)
            {
                case FeeMemo when account == vaults.Treasury:
                    events.Add(new FeesBurned(_sig, tx.Slot, tx.BlockTime, path, m, account.ToString(), amount));
                    Count(account, -(Int128)amount);
                    return;
                case SlashMemo slash when account == vaults.Stake:
                    events.Add(new StakeSlashed(_sig, tx.Slot, tx.BlockTime, path, Hex(slash.Device), slash.Staker, m, amount, account.ToString()));
                    Count(account, -(Int128)amount);
                    return;
                default:
                    var owner = Owner(account, authority);
                    events.Add(new TokensBurned(_sig, tx.Slot, tx.BlockTime, path, m, account.ToString(), owner, amount));
                    // A credit purchase: the desk mints IOSD for it (the supply effect is the TokensBurned above).
                    if (memo is BuyMemo buy && mint == network.Io.Address)
                        events.Add(new CreditsRequested(_sig, tx.Slot, tx.BlockTime, path, owner, account.ToString(), amount, buy.RateMicroUsd, buy.Quote));
                    else if (memo is BuyMemo)
                        ignored.Add($"{_sig} {path}: memo '{memo.Text}' on a burn of {m}, not of IO: no credit purchase");
                    if (vaults.Contains(account))
                        Withdrawn(path, instruction, account, mint, mint, amount);
                    return;
            }
        }

        private void Moved(
            string path, string instruction, PublicKey mintKey, PublicKey source, PublicKey destination, PublicKey authority,
            ulong debited, ulong credited, IoNetMemo? memo)
        {
            if (network.MintOf(mintKey) is not { } mint)
                return;
            var m = mint.Address.ToString();
            var escrow = vaults.Escrow(mint);
            IChainEvent? e = memo switch
            {
                FundMemo f when destination == escrow =>
                    new RentalFunded(_sig, tx.Slot, tx.BlockTime, path, Hex(f.Rental), Owner(source, authority), m, credited, destination.ToString()),
                SettleMemo s when source == escrow =>
                    new RentalSettled(_sig, tx.Slot, tx.BlockTime, path, Hex(s.Rental), Owner(destination), m, credited, source.ToString()),
                RefundMemo r when source == escrow =>
                    new RentalRefunded(_sig, tx.Slot, tx.BlockTime, path, Hex(r.Rental), Owner(destination), m, credited, source.ToString()),
                RewardMemo r when source == vaults.Treasury =>
                    new RewardPaid(_sig, tx.Slot, tx.BlockTime, path, r.Block, Hex(r.Device), Owner(destination), m, credited, source.ToString()),
                StakeMemo s when destination == vaults.Stake =>
                    new StakeDeposited(_sig, tx.Slot, tx.BlockTime, path, Hex(s.Device), Owner(source, authority), m, credited, destination.ToString()),
                UnstakeMemo u when source == vaults.Stake =>
                    new StakeWithdrawn(_sig, tx.Slot, tx.BlockTime, path, Hex(u.Device), Owner(destination), m, credited, source.ToString()),
                _ => null,
            };
            // The vault side a flow accounts for; every other vault side is recorded as an unattributed movement.
            var flowFrom = e is RentalSettled or RentalRefunded or RewardPaid or StakeWithdrawn;
            var flowInto = e is RentalFunded or StakeDeposited;
            if (e is not null)
                events.Add(e);
            else if (memo is not null)
                ignored.Add($"{_sig} {path}: transfer of {credited} {m} {source} -> {destination} is no IoNet flow (memo '{memo.Text}')");
            if (flowFrom)
            {
                Count(source, -(Int128)credited);
                if (debited > credited)
                    Withdrawn(path, $"{instruction} fee", source, destination, mint.Address, debited - credited);
            }
            else if (vaults.Contains(source))
            {
                Withdrawn(path, instruction, source, destination, mint.Address, debited);
            }
            if (flowInto)
                Count(destination, credited);
            else if (vaults.Contains(destination))
                Deposited(path, instruction, destination, source, mint.Address, credited);
        }

        private void Deposited(string path, string instruction, PublicKey vault, PublicKey counterparty, PublicKey mint, ulong amount)
        {
            events.Add(new VaultDeposited(_sig, tx.Slot, tx.BlockTime, path, vault.ToString(), mint.ToString(), counterparty.ToString(), amount, instruction));
            Count(vault, amount);
        }

        private void Withdrawn(string path, string instruction, PublicKey vault, PublicKey counterparty, PublicKey mint, ulong amount)
        {
            events.Add(new VaultWithdrawn(_sig, tx.Slot, tx.BlockTime, path, vault.ToString(), mint.ToString(), counterparty.ToString(), amount, instruction));
            Count(vault, -(Int128)amount);
        }

        private void Count(PublicKey vault, Int128 amount) => _moved[vault] = _moved.GetValueOrDefault(vault) + amount;

        private string Owner(PublicKey tokenAccount, PublicKey? fallback = null) =>
            (tx.TokenAccounts.TryGetValue(tokenAccount, out var info) ? info.Owner : null)?.ToString() ?? fallback?.ToString() ?? "";

        private static string Hex(Guid id) => id.ToString("N");
    }
}
