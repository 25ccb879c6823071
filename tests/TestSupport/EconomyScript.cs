using System.Diagnostics;
using System.Globalization;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.ComputeBudget;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;

namespace IoNet.TestSupport;

/// <summary>How big and which economy <see cref="EconomyScript"/> runs; the same options give the same operations.</summary>
public sealed record EconomyOptions
{
    /// <summary>Economic operations (a credit purchase, a funding, a settlement, a reward, …), not counting the set-up.</summary>
    public int Operations { get; init; } = 300;
    public int Seed { get; init; } = 20261125;
    public int Wallets { get; init; } = 12;

    /// <summary>The share of transactions sent as v0 messages that load their non-signer accounts through a lookup table.</summary>
    public double V0Share { get; init; } = 0.25;

    /// <summary>Transactions sent before their statuses are checked together (getSignatureStatuses).</summary>
    public int ConfirmBatch { get; init; } = 100;
}

/// <summary>
/// A reproducible economy on a <see cref="LocalnetChain"/> (a seeded <see cref="Random"/>, so the same options send
/// the same operations): credit purchases (an IO burn, then the IOSD mint naming it), rental fundings (TransferChecked
/// and plain Transfer), settlements to one to three suppliers with refunds, rewards over several reward blocks,
/// stakes, unstakes, slashes, fee burns, transactions that fail on purpose (sent with skipPreflight, so they land as
/// failed), plain SPL Transfers between wallets, and a share of v0 transactions loading their accounts through an
/// address lookup table. It keeps an independent <see cref="EconomyModel"/> of what it did.
/// Transactions are sent one after the other without waiting (localnet executes them on arrival, in order) and
/// confirmed in batches with getSignatureStatuses: each must have succeeded, or failed where a failure was intended.
/// Wallet keys, device and rental ids and every amount come from the seed; on a --deterministic localnet only slots,
/// blockhashes (and so signatures and the lookup table's address) differ between runs.
/// It assumes it is the only writer of the chain's IoNet accounts while it runs and that the chain is fresh (the
/// mints' supply at the start is genesis supply).
/// </summary>
public sealed partial class EconomyScript(LocalnetChain chain, EconomyOptions? options = null)
{
    private const ulong OneIo = 100_000_000;
    private const ulong OneIosd = 1_000_000;

    private readonly EconomyOptions _options = options ?? new EconomyOptions();
    private readonly Random _rng = new((options ?? new EconomyOptions()).Seed);
    private readonly Dictionary<(PublicKey Owner, PublicKey Mint), ulong> _balances = [];
    private readonly HashSet<PublicKey> _tokenAccounts = [];
    private readonly List<Keypair> _wallets = [];
    private readonly List<Device> _devices = [];
    private readonly List<Rental> _rentals = [];
    private readonly List<(string Signature, bool ShouldFail, string What)> _unconfirmed = [];
    private readonly HashSet<string> _sent = [];
    private Keypair _treasury = null!, _escrow = null!, _stake = null!, _iosdAuthority = null!;
    private AddressLookupTableAccount? _table;
    private Blockhash _blockhash;
    private int _sinceBlockhash = int.MaxValue;
    private ulong _block = 1;

    private sealed class Device(Guid id, Keypair owner)
    {
        public Guid Id => id;
        public Keypair Owner => owner;
        public ulong Staked { get; set; }
    }

    private sealed class Rental(Guid id, Keypair buyer, MintInfo mint)
    {
        public Guid Id => id;
        public Keypair Buyer => buyer;
        public MintInfo Mint => mint;
        public ulong Balance { get; set; }
    }

    public EconomyModel Model { get; } = new();

    public IoNetAddresses Network => chain.Network;

    /// <summary>The wallets the script created (buyers, suppliers, workers), in creation order.</summary>
    public IReadOnlyList<PublicKey> Wallets => _wallets.Select(w => w.PublicKey).ToList();

    /// <summary>The lookup table the v0 transactions used (after <see cref="RunAsync"/>).</summary>
    public AddressLookupTableAccount? LookupTable => _table;

    /// <summary>How long <see cref="RunAsync"/> took (set-up, operations and confirmations).</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The vaults the script moves money through: escrow (IOSD and IO), treasury, stake.</summary>
    public IReadOnlyList<(string Name, PublicKey Account, MintInfo Mint)> VaultAccounts =>
    [
        ("escrow-iosd", Network.EscrowVault(Network.Iosd), Network.Iosd),
        ("escrow-io", Network.EscrowVault(Network.Io), Network.Io),
        ("treasury", Network.TreasuryVault, Network.Io),
        ("stake", Network.StakeVault, Network.Io),
    ];

    public async Task<EconomyModel> RunAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var net = Network;
        _treasury = chain.Authority("treasury");
        _escrow = chain.Authority("escrow");
        _stake = chain.Authority("stake");
        _iosdAuthority = chain.Authority("iosd");

        // The starting point, from the chain: genesis supply and the vaults' balances.
        var start = await ChainTotalsAsync(ct);
        foreach (var mint in new[] { net.Io, net.Iosd })
            Model.Mints[mint.Address.ToString()] = new MintExpectation { Minted = start.Supply[mint.Address.ToString()] };
        foreach (var (name, account, mint) in VaultAccounts)
        {
            Model.Vaults[account.ToString()] = new VaultExpectation(name, mint.Address.ToString(), start.VaultBalances[account.ToString()]);
            _balances[(OwnerOfVault(name), mint.Address)] = start.VaultBalances[account.ToString()];
            _tokenAccounts.Add(account);
        }

        // Wallets, funded with SOL in one transaction; one or two devices each.
        for (var i = 0; i < _options.Wallets; i++)
        {
            var seed = new byte[32];
            _rng.NextBytes(seed);
            _wallets.Add(Keypair.FromSeed(seed));
        }
        await chain.ExecuteAsync(chain.Faucet, _wallets.Select(w => new SystemTransfer(chain.Faucet.PublicKey, w.PublicKey, 5_000_000_000).Build()).ToArray(), ct: ct);
        foreach (var wallet in _wallets)
        {
            for (var d = _rng.Next(1, 3); d > 0; d--)
                _devices.Add(new Device(NewGuid(), wallet));
        }

        // The lookup table: mints, vaults, authorities' and wallets' token accounts and the wallets themselves.
        var addresses = new List<PublicKey> { net.Io.Address, net.Iosd.Address };
        addresses.AddRange(VaultAccounts.Select(v => v.Account));
        addresses.AddRange([net.EscrowAuthority, net.TreasuryAuthority, net.StakeAuthority]);
        foreach (var wallet in _wallets)
            addresses.AddRange([wallet.PublicKey, net.Io.AccountOf(wallet.PublicKey), net.Iosd.AccountOf(wallet.PublicKey)]);
        if (_options.V0Share > 0)
            _table = await chain.CreateLookupTableAsync(chain.Faucet, addresses, ct);

        // Reward block 1 pays every device, so every wallet holds IO to work with.
        foreach (var device in _devices)
            await RewardAsync(device, Amount(200 * OneIo, 2_000 * OneIo), ct);
        _block++;

        while (Model.Counts.Operations < _options.Operations)
        {
            var roll = _rng.Next(100);
            var done = roll switch
            {
                < 12 => await BuyCreditsAsync(ct),
                < 26 => await FundAsync(ct),
                < 38 => await SettleAsync(ct),
                < 54 => await RewardAsync(_devices[_rng.Next(_devices.Count)], Amount(OneIo / 10, 300 * OneIo), ct),
                < 62 => await StakeAsync(ct),
                < 67 => await UnstakeAsync(ct),
                < 72 => await SlashAsync(ct),
                < 76 => await FeeBurnAsync(ct),
                < 84 => await FailAsync(ct),
                _ => await PlainTransferAsync(ct),
            };
            if (done && roll is >= 38 and < 54 && _rng.Next(100) < 8)
                _block++;
        }

        // Every rental still open is settled in the end, so some end with nothing left and the rest are refunded.
        foreach (var rental in _rentals.Where(r => r.Balance > 0 && _rng.Next(2) == 0).ToList())
            await SettleAsync(rental, ct);
        await ConfirmAsync(ct);
        Elapsed = clock.Elapsed;
        return Model;
    }

    /// <summary>Supply per mint (getTokenSupply) and balance per vault (getTokenAccountBalance), straight from the chain.</summary>
    public async Task<ChainTotals> ChainTotalsAsync(CancellationToken ct = default)
    {
        var supply = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var mint in new[] { Network.Io, Network.Iosd })
            supply[mint.Address.ToString()] = (await chain.Rpc.GetTokenSupplyAsync(mint.Address.ToString(), cancellationToken: ct)).Value.BaseUnits;
        var vaults = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (_, account, _) in VaultAccounts)
            vaults[account.ToString()] = await chain.TokenBalanceAsync(account, ct);
        return new ChainTotals(supply, vaults);
    }

    // ---------- operations: each returns false when the economy's state does not allow it now (nothing sent) ----------

    private async Task<bool> BuyCreditsAsync(CancellationToken ct)
    {
        var net = Network;
        var buyer = Pick(_wallets.Where(w => Balance(w.PublicKey, net.Io) >= OneIo));
        if (buyer is null)
            return false;
        var io = Amount(OneIo / 2, Balance(buyer.PublicKey, net.Io) / 2);
        var rate = (ulong)_rng.Next(300_000, 1_500_001);
        var burn = await SendAsync(buyer, IoNetFlows.BuyCredits(buyer.PublicKey, net.Io, io, rate), [buyer], "buy credits (burn)", ct);
        Move(buyer.PublicKey, net.Io, io, burned: true);
        var credits = IoNetFlows.CreditsFor(io, rate);
        await SendAsync(_iosdAuthority, IoNetFlows.MintCredits(_iosdAuthority.PublicKey, net.Iosd, buyer.PublicKey, burn, io, rate), [_iosdAuthority], "mint credits", ct);
        Credit(buyer.PublicKey, net.Iosd, credits, minted: true);
        var w = Wallet(buyer.PublicKey);
        w.IoBurnedForCredits += io;
        w.IosdBought += credits;
        Model.Network.CreditPurchases++;
        Model.Network.IoBurnedForCredits += io;
        Model.Network.IosdMintedForCredits += credits;
        Model.Counts.CreditPurchases++;
        return Done();
    }

    private async Task<bool> FundAsync(CancellationToken ct)
    {
        var net = Network;
        var mint = _rng.Next(100) < 80 ? net.Iosd : net.Io;
        var minimum = mint == net.Iosd ? OneIosd / 10 : OneIo / 10;
        var buyer = Pick(_wallets.Where(w => Balance(w.PublicKey, mint.Address) >= minimum));
        if (buyer is null)
            return false;
        var open = _rentals.Where(r => r.Buyer == buyer && r.Mint == mint && r.Balance > 0).ToList();
        var rental = open.Count > 0 && _rng.Next(100) < 25 ? open[_rng.Next(open.Count)] : new Rental(NewGuid(), buyer, mint);
        if (!_rentals.Contains(rental))
            _rentals.Add(rental);
        var amount = Amount(minimum / 2, Balance(buyer.PublicKey, mint.Address) * 2 / 3);
        var vault = net.EscrowVault(mint);
        if (_rng.Next(100) < 30)
        {
            // A plain Transfer (no mint in its accounts) with the fund memo: found only through the vault.
            await SendAsync(buyer,
            [
                MemoInstruction.Of(new FundMemo(rental.Id).Text, buyer.PublicKey).Build(),
                new Transfer(mint.AccountOf(buyer.PublicKey), vault, buyer.PublicKey, amount)
                {
                    ProgramId = mint.TokenProgram, References = new([IoNetReferences.Rental(rental.Id)]),
                }.Build(),
            ], [buyer], "fund rental (plain Transfer)", ct);
            Model.Counts.PlainTransfers++;
        }
        else
        {
            await SendAsync(buyer, IoNetFlows.FundRental(buyer.PublicKey, mint, net.EscrowAuthority, rental.Id, amount), [buyer], "fund rental", ct);
        }
        Move(buyer.PublicKey, mint, amount, to: net.EscrowAuthority);
        rental.Balance += amount;
        var m = mint.Address.ToString();
        var r = RentalOf(rental);
        r.Funded += amount;
        Add(Wallet(buyer.PublicKey).RentalsPaid, m, amount);
        Add(Model.Network.RentalsFunded, m, amount);
        Model.Counts.Fundings++;
        return Done();
    }

    private async Task<bool> SettleAsync(CancellationToken ct)
    {
        var rental = Pick(_rentals.Where(r => r.Balance > 0));
        if (rental is null)
            return false;
        await SettleAsync(rental, ct);
        return Done();
    }

    private async Task SettleAsync(Rental rental, CancellationToken ct)
    {
        var net = Network;
        var others = _wallets.Where(w => w != rental.Buyer).OrderBy(_ => _rng.Next()).ToList();
        var suppliers = others.Take(rental.Balance >= 3 ? _rng.Next(1, 4) : 1).ToList();
        var closing = _rng.Next(100) < 50;
        var toSuppliers = closing ? Amount(0, rental.Balance) : Amount((ulong)suppliers.Count, rental.Balance);
        if (toSuppliers < (ulong)suppliers.Count)
            suppliers = suppliers.Take((int)toSuppliers).ToList();
        var payouts = new List<(PublicKey Supplier, ulong Amount)>();
        var left = toSuppliers;
        for (var i = 0; i < suppliers.Count; i++)
        {
            var share = i == suppliers.Count - 1 ? left : Amount(1, left - (ulong)(suppliers.Count - 1 - i));
            payouts.Add((suppliers[i].PublicKey, share));
            left -= share;
        }
        var rest = rental.Balance - payouts.Aggregate(0UL, (s, p) => s + p.Amount);
        var refund = closing ? rest : (_rng.Next(100) < 30 ? Amount(0, rest / 2) : 0);
        if (payouts.Count == 0 && refund == 0)
            refund = rest;
        await SendAsync(_escrow, IoNetFlows.SettleRental(_escrow.PublicKey, rental.Mint, rental.Id, payouts, rental.Buyer.PublicKey, refund), [_escrow], "settle rental", ct);
        var m = rental.Mint.Address.ToString();
        var r = RentalOf(rental);
        foreach (var (supplier, amount) in payouts)
        {
            Move(net.EscrowAuthority, rental.Mint, amount, to: supplier);
            rental.Balance -= amount;
            r.Settled += amount;
            Add(r.PaidToSuppliers, supplier.ToString(), amount);
            Add(Wallet(supplier).RentalIncome, m, amount);
            Add(Model.Network.RentalsSettled, m, amount);
        }
        if (refund > 0)
        {
            Move(net.EscrowAuthority, rental.Mint, refund, to: rental.Buyer.PublicKey);
            rental.Balance -= refund;
            r.Refunded += refund;
            Add(Wallet(rental.Buyer.PublicKey).RentalsRefunded, m, refund);
            Add(Model.Network.RentalsRefunded, m, refund);
        }
        Model.Counts.Settlements++;
    }

    private async Task<bool> RewardAsync(Device device, ulong amount, CancellationToken ct)
    {
        var net = Network;
        await SendAsync(_treasury, IoNetFlows.PayReward(_treasury.PublicKey, net.Io, device.Owner.PublicKey, _block, device.Id, amount), [_treasury], "pay reward", ct);
        Move(net.TreasuryAuthority, net.Io, amount, to: device.Owner.PublicKey);
        var id = Hex(device.Id);
        var block = _block.ToString(CultureInfo.InvariantCulture);
        Wallet(device.Owner.PublicKey).RewardsEarned += amount;
        var d = DeviceOf(device);
        d.Rewards += amount;
        Add(d.RewardsByBlock, block, amount);
        if (!Model.RewardBlocks.TryGetValue(block, out var payouts))
            Model.RewardBlocks[block] = payouts = new RewardBlockExpectation();
        payouts.Total += amount;
        Add(payouts.ByDevice, id, amount);
        Model.Network.RewardsPaid += amount;
        Model.Network.RewardPayments++;
        Model.Counts.Rewards++;
        return Done();
    }

    private async Task<bool> StakeAsync(CancellationToken ct)
    {
        var net = Network;
        var device = Pick(_devices.Where(d => Balance(d.Owner.PublicKey, net.Io) >= OneIo));
        if (device is null)
            return false;
        var amount = Amount(OneIo / 10, Balance(device.Owner.PublicKey, net.Io) / 3);
        await SendAsync(device.Owner, IoNetFlows.Stake(device.Owner.PublicKey, net.Io, net.StakeAuthority, device.Id, amount), [device.Owner], "stake", ct);
        Move(device.Owner.PublicKey, net.Io, amount, to: net.StakeAuthority);
        device.Staked += amount;
        Wallet(device.Owner.PublicKey).Staked += amount;
        DeviceOf(device).Staked += amount;
        Model.Network.Staked += amount;
        Model.Counts.Stakes++;
        return Done();
    }

    private async Task<bool> UnstakeAsync(CancellationToken ct)
    {
        var net = Network;
        var device = Pick(_devices.Where(d => d.Staked > 0));
        if (device is null)
            return false;
        var amount = _rng.Next(100) < 25 ? device.Staked : Amount(1, device.Staked);
        await SendAsync(_stake, IoNetFlows.Unstake(_stake.PublicKey, net.Io, device.Owner.PublicKey, device.Id, amount), [_stake], "unstake", ct);
        Move(net.StakeAuthority, net.Io, amount, to: device.Owner.PublicKey);
        device.Staked -= amount;
        Wallet(device.Owner.PublicKey).Staked -= amount;
        DeviceOf(device).Staked -= amount;
        Model.Network.Staked -= amount;
        Model.Counts.Unstakes++;
        return Done();
    }

    private async Task<bool> SlashAsync(CancellationToken ct)
    {
        var net = Network;
        var device = Pick(_devices.Where(d => d.Staked > 0));
        if (device is null)
            return false;
        var amount = Amount(1, Math.Max(1, device.Staked / 4));
        await SendAsync(_stake, IoNetFlows.Slash(_stake.PublicKey, net.Io, device.Id, device.Owner.PublicKey, amount), [_stake], "slash", ct);
        Move(net.StakeAuthority, net.Io, amount, burned: true);
        device.Staked -= amount;
        var w = Wallet(device.Owner.PublicKey);
        w.Staked -= amount;
        w.StakeSlashed += amount;
        var d = DeviceOf(device);
        d.Staked -= amount;
        d.Slashed += amount;
        Model.Network.Staked -= amount;
        Model.Network.Slashed += amount;
        Model.Counts.Slashes++;
        return Done();
    }

    private async Task<bool> FeeBurnAsync(CancellationToken ct)
    {
        var net = Network;
        var amount = Amount(1, 50 * OneIo);
        var period = $"2026-{_rng.Next(1, 13):00}";
        await SendAsync(_treasury, IoNetFlows.FeeBurn(_treasury.PublicKey, net.Io, period, amount), [_treasury], "fee burn", ct);
        Move(net.TreasuryAuthority, net.Io, amount, burned: true);
        Model.Network.FeesBurned += amount;
        Model.Counts.FeeBurns++;
        return Done();
    }

    /// <summary>A transaction that must fail on chain (more than the balance): it lands, pays its fee and moves nothing.</summary>
    private async Task<bool> FailAsync(CancellationToken ct)
    {
        var net = Network;
        var wallet = _wallets[_rng.Next(_wallets.Count)];
        var io = Balance(wallet.PublicKey, net.Io);
        var iosd = Balance(wallet.PublicKey, net.Iosd);
        var kind = _rng.Next(4);
        if (kind == 0 && _tokenAccounts.Contains(net.Iosd.AccountOf(wallet.PublicKey)))
        {
            await SendAsync(wallet, IoNetFlows.FundRental(wallet.PublicKey, net.Iosd, net.EscrowAuthority, NewGuid(), iosd + Amount(1, 1_000 * OneIosd)),
                [wallet], "fund more than the balance", ct, shouldFail: true);
        }
        else if (kind == 1 && _tokenAccounts.Contains(net.Io.AccountOf(wallet.PublicKey)))
        {
            var device = _devices.First(d => d.Owner == wallet);
            await SendAsync(wallet, IoNetFlows.Stake(wallet.PublicKey, net.Io, net.StakeAuthority, device.Id, io + 1), [wallet], "stake more than the balance", ct, shouldFail: true);
        }
        else if (kind == 2 && _tokenAccounts.Contains(net.Io.AccountOf(wallet.PublicKey)))
        {
            await SendAsync(wallet, IoNetFlows.BuyCredits(wallet.PublicKey, net.Io, io + Amount(1, OneIo), 800_000), [wallet], "burn more than the balance", ct, shouldFail: true);
        }
        else
        {
            // Settle a rental with more than the whole escrow vault holds.
            var vault = Balance(net.EscrowAuthority, net.Iosd);
            await SendAsync(_escrow, IoNetFlows.SettleRental(_escrow.PublicKey, net.Iosd, NewGuid(), [(wallet.PublicKey, vault + 1)], wallet.PublicKey, 0),
                [_escrow], "settle more than the vault holds", ct, shouldFail: true);
        }
        Model.Counts.FailedTransactions++;
        return Done();
    }

    /// <summary>A plain SPL Transfer (no mint among its accounts, no memo) from one wallet to another.</summary>
    private async Task<bool> PlainTransferAsync(CancellationToken ct)
    {
        var net = Network;
        var mint = _rng.Next(2) == 0 ? net.Io : net.Iosd;
        var from = Pick(_wallets.Where(w => Balance(w.PublicKey, mint.Address) >= 2));
        if (from is null)
            return false;
        var to = _wallets.Where(w => w != from).ElementAt(_rng.Next(_wallets.Count - 1));
        var amount = Amount(1, Balance(from.PublicKey, mint.Address) / 2);
        await SendAsync(from,
        [
            AssociatedTokenInstruction.CreateIdempotent(from.PublicKey, to.PublicKey, mint.Address, mint.TokenProgram).Build(),
            new Transfer(mint.AccountOf(from.PublicKey), mint.AccountOf(to.PublicKey), from.PublicKey, amount) { ProgramId = mint.TokenProgram }.Build(),
        ], [from], "plain transfer between wallets", ct);
        Move(from.PublicKey, mint, amount, to: to.PublicKey);
        Model.Counts.PlainTransfers++;
        Model.Counts.PlainTransfersBetweenWallets++;
        return Done();
    }

    // ---------- sending ----------

    /// <summary>Signs (legacy, or v0 through the lookup table for a share of them) and sends; returns the signature at once.</summary>
    private async Task<Signature> SendAsync(
        Keypair payer, IReadOnlyList<TransactionInstruction> instructions, IReadOnlyList<Keypair> signers, string what, CancellationToken ct, bool shouldFail = false)
    {
        if (_sinceBlockhash >= 50)
        {
            _blockhash = Blockhash.Parse((await chain.Rpc.GetLatestBlockhashAsync(cancellationToken: ct)).Value.Blockhash);
            _sinceBlockhash = 0;
        }
        _sinceBlockhash++;
        var v0 = _table is not null && _rng.NextDouble() < _options.V0Share;
        var bytes = Sign(payer, instructions, signers, v0, out var signature);
        if (_sent.Contains(signature.ToString()))
        {
            // The same message under the same blockhash would be the same transaction: make it another one.
            bytes = Sign(payer, [ComputeBudgetInstruction.UnitLimit(1_400_000 - (uint)_sent.Count).Build(), .. instructions], signers, v0, out signature);
        }
        _sent.Add(signature.ToString());
        try
        {
            await chain.Rpc.SendTransactionAsync(bytes, new SendTransactionOptions { SkipPreflight = shouldFail }, ct);
        }
        catch (RpcException e)
        {
            throw new InvalidOperationException($"{what} was refused: {e.Message}", e);
        }
        Model.Counts.Transactions++;
        if (v0)
            Model.Counts.V0Transactions++;
        _unconfirmed.Add((signature.ToString(), shouldFail, what));
        if (_unconfirmed.Count >= _options.ConfirmBatch)
            await ConfirmAsync(ct);
        return signature;
    }

    private byte[] Sign(Keypair payer, IReadOnlyList<TransactionInstruction> instructions, IReadOnlyList<Keypair> signers, bool v0, out Signature signature)
    {
        var message = v0
            ? MessageCompiler.CompileV0(payer.PublicKey, instructions, _blockhash, [_table!])
            : MessageCompiler.CompileLegacy(payer.PublicKey, instructions, _blockhash);
        var tx = new Transaction(message);
        tx.Sign([payer, .. signers.Where(s => s.PublicKey != payer.PublicKey)]);
        signature = tx.Id;
        return tx.Serialize();
    }

    /// <summary>Every transaction sent since the last call landed, and failed exactly when it was meant to.</summary>
    public async Task ConfirmAsync(CancellationToken ct = default)
    {
        for (var attempt = 0; _unconfirmed.Count > 0; attempt++)
        {
            var pending = new List<(string Signature, bool ShouldFail, string What)>();
            foreach (var chunk in _unconfirmed.Chunk(100))
            {
                var statuses = (await chain.Rpc.GetSignatureStatusesAsync(chunk.Select(c => c.Signature).ToList(), cancellationToken: ct)).Value;
                for (var i = 0; i < chunk.Length; i++)
                {
                    var status = statuses[i];
                    if (status is null)
                    {
                        pending.Add(chunk[i]);
                        continue;
                    }
                    if ((status.Err is not null) != chunk[i].ShouldFail)
                        throw new InvalidOperationException($"{chunk[i].What} ({chunk[i].Signature}) {(chunk[i].ShouldFail ? "succeeded but should have failed" : "failed")}");
                }
            }
            _unconfirmed.Clear();
            _unconfirmed.AddRange(pending);
            if (_unconfirmed.Count == 0)
                return;
            if (attempt > 100)
                throw new TimeoutException($"{_unconfirmed.Count} transactions did not land, e.g. {_unconfirmed[0].What} {_unconfirmed[0].Signature}");
            await Task.Delay(50, ct);
        }
    }
}
