using System.Globalization;
using IoNet.Ledger.Anchor;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;

namespace IoNet.Indexer.Decoding;

/// <summary>
/// From a decoded transaction to the Ledger's events (pure). Only successful transactions count; a memo applies to
/// the next top-level instruction (docs/onchain.md). Mints and burns of tracked mints are always recorded; transfers
/// only when their memo and accounts say which flow they are. What is not understood is reported, never guessed.
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
    /// check, ~10 µs), and a transfer compares against several of them.
    /// </summary>
    private sealed class Vaults(IoNetAddresses network)
    {
        private readonly Dictionary<MintInfo, PublicKey> _escrow = network.Mints.Distinct().ToDictionary(m => m, network.EscrowVault);

        public PublicKey Treasury { get; } = network.TreasuryVault;

        public PublicKey Stake { get; } = network.StakeVault;

        public PublicKey Escrow(MintInfo mint) => _escrow.TryGetValue(mint, out var vault) ? vault : network.EscrowVault(mint);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IoNetAddresses, Vaults> VaultCache = [];

    private static Vaults VaultsOf(IoNetAddresses network) => VaultCache.GetValue(network, n => new Vaults(n));

    private sealed class Context(DecodedTransaction tx, IoNetAddresses network, Vaults vaults, List<IChainEvent> events, List<string> ignored)
    {
        private readonly string _sig = tx.Signature.ToString();

        public void Token(TokenInstruction instruction, string path, IoNetMemo? memo)
        {
            switch (instruction)
            {
                case MintTo m: Minted(path, m.Mint, m.Destination, m.Amount, memo); break;
                case MintToChecked m: Minted(path, m.Mint, m.Destination, m.Amount, memo); break;
                case Burn b: Burned(path, b.Mint, b.Account, b.Authority, b.Amount, memo); break;
                case BurnChecked b: Burned(path, b.Mint, b.Account, b.Authority, b.Amount, memo); break;
                case TransferChecked t: Moved(path, t.Mint, t.Source, t.Destination, t.Authority, t.Amount, memo); break;
                case TransferCheckedWithFee t: Moved(path, t.Mint, t.Source, t.Destination, t.Authority, t.Amount - t.Fee, memo); break;
                case Transfer t when tx.TokenAccounts.TryGetValue(t.Source, out var source):
                    Moved(path, source.Mint, t.Source, t.Destination, t.Authority, t.Amount, memo);
                    break;
                default: break;
            }
        }

        private void Minted(string path, PublicKey mint, PublicKey account, ulong amount, IoNetMemo? memo)
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
        }

        private void Burned(string path, PublicKey mint, PublicKey account, PublicKey authority, ulong amount, IoNetMemo? memo)
        {
            if (network.MintOf(mint) is null)
                return;
            switch (memo)
            {
                case FeeMemo when account == vaults.Treasury:
                    events.Add(new FeesBurned(_sig, tx.Slot, tx.BlockTime, path, mint.ToString(), account.ToString(), amount));
                    break;
                case SlashMemo slash when account == vaults.Stake:
                    events.Add(new StakeSlashed(_sig, tx.Slot, tx.BlockTime, path, Hex(slash.Device), slash.Staker, mint.ToString(), amount));
                    break;
                default:
                    events.Add(new TokensBurned(_sig, tx.Slot, tx.BlockTime, path, mint.ToString(), account.ToString(), Owner(account, authority), amount));
                    break;
            }
        }

        private void Moved(string path, PublicKey mintKey, PublicKey source, PublicKey destination, PublicKey authority, ulong amount, IoNetMemo? memo)
        {
            if (network.MintOf(mintKey) is not { } mint)
                return;
            var m = mint.Address.ToString();
            IChainEvent? e = memo switch
            {
                FundMemo f when destination == vaults.Escrow(mint) =>
                    new RentalFunded(_sig, tx.Slot, tx.BlockTime, path, Hex(f.Rental), Owner(source, authority), m, amount),
                SettleMemo s when source == vaults.Escrow(mint) =>
                    new RentalSettled(_sig, tx.Slot, tx.BlockTime, path, Hex(s.Rental), Owner(destination), m, amount),
                RefundMemo r when source == vaults.Escrow(mint) =>
                    new RentalRefunded(_sig, tx.Slot, tx.BlockTime, path, Hex(r.Rental), Owner(destination), m, amount),
                RewardMemo r when source == vaults.Treasury =>
                    new RewardPaid(_sig, tx.Slot, tx.BlockTime, path, r.Block, Hex(r.Device), Owner(destination), m, amount),
                StakeMemo s when destination == vaults.Stake =>
                    new StakeDeposited(_sig, tx.Slot, tx.BlockTime, path, Hex(s.Device), Owner(source, authority), m, amount),
                UnstakeMemo u when source == vaults.Stake =>
                    new StakeWithdrawn(_sig, tx.Slot, tx.BlockTime, path, Hex(u.Device), Owner(destination), m, amount),
                _ => null,
            };
            if (e is not null)
                events.Add(e);
            else if (memo is not null || Touches(mint, source) || Touches(mint, destination))
                ignored.Add($"{_sig} {path}: transfer of {amount} {m} {source} -> {destination} is no IoNet flow (memo '{memo?.Text}')");
        }

        private bool Touches(MintInfo mint, PublicKey account) =>
            account == vaults.Escrow(mint) || account == vaults.Treasury || account == vaults.Stake;

        private string Owner(PublicKey tokenAccount, PublicKey? fallback = null) =>
            (tx.TokenAccounts.TryGetValue(tokenAccount, out var info) ? info.Owner : null)?.ToString() ?? fallback?.ToString() ?? "";

        private static string Hex(Guid id) => id.ToString("N");
    }
}
