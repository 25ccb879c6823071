using IoNet.Indexer.Store;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using IoNet.Solana.Keys;

namespace IoNet.Benchmarks.Explorer;

/// <summary>The size of the generated Ledger; a stored Ledger is reused only when every field matches.</summary>
public sealed record EconomyShape(int Events, int Devices, int Wallets, int Seed)
{
    /// <summary>Bumped whenever <see cref="SyntheticEconomy"/> generates something different for the same shape.</summary>
    public const int GeneratorVersion = 1;

    public static EconomyShape Default { get; } = new(1_000_000, 3_000, 4_000, 11);
}

/// <summary>
/// A deterministic synthetic io.net economy as the indexer would store it, one Ledger transaction (stream) per chain
/// transaction, exactly <see cref="EconomyShape.Events"/> events: the IO genesis mint and emissions; hourly-ish reward
/// blocks paying most devices (RewardPaid, the bulk of it); credit purchases (an IO burn, then the IOSD mint with its
/// CreditsPurchased); protocol fee burns; rentals funded in IOSD or USDC, settled to one to three suppliers per
/// transaction and closed with a refund of the rest (some stay open); stake deposits, withdrawals and slashes.
/// Amounts stay consistent (nothing settles, withdraws or burns more than there is), so the projections read true.
/// </summary>
public sealed class SyntheticEconomy
{
    private const ulong Io = 100_000_000;     // 8 decimals
    private const ulong Iosd = 1_000_000;     // 6 decimals (USDC too)
    private const ulong FirstSlot = 310_000_000;
    private const long FirstBlockTime = 1_735_689_600; // 2025-01-01 UTC

    private readonly EconomyShape _shape;
    private readonly Random _random;
    private readonly string[] _wallets;
    private readonly string[] _tokenAccounts;
    private readonly string[] _devices;
    private readonly int[] _deviceOwner;
    private readonly ulong[] _stake;
    private readonly List<int> _staked = [];
    private readonly List<Rental> _open = [];
    private readonly Queue<int> _blockQueue = new();
    private readonly int _suppliers;
    private readonly string _treasury;
    private readonly string _rewardsVault;
    private readonly string _stakeVault;
    private readonly Dictionary<string, string> _escrowVaults = [];
    private ulong _slot = FirstSlot;
    private ulong _block;
    private long _events;

    private sealed class Rental(string id, int payer, string mint, ulong funded)
    {
        public string Id { get; } = id;
        public int Payer { get; } = payer;
        public string Mint { get; } = mint;
        public ulong Funded { get; } = funded;
        public ulong Paid { get; set; }
    }

    public SyntheticEconomy(EconomyShape shape)
    {
        _shape = shape;
        _random = new Random(shape.Seed);
        IoMint = Key();
        IosdMint = Key();
        UsdcMint = Key();
        _treasury = Key();
        _rewardsVault = Key();
        _stakeVault = Key();
        _wallets = [.. Enumerable.Range(0, shape.Wallets).Select(_ => Key())];
        _tokenAccounts = [.. Enumerable.Range(0, shape.Wallets).Select(_ => Key())];
        // The first 40% of the wallets are suppliers (they own the devices); buyers are drawn from all of them.
        _suppliers = Math.Max(1, shape.Wallets * 2 / 5);
        _devices = [.. Enumerable.Range(0, shape.Devices).Select(_ => NewId())];
        _deviceOwner = [.. Enumerable.Range(0, shape.Devices).Select(_ => _random.Next(_suppliers))];
        _stake = new ulong[shape.Devices];
    }

    public string IoMint { get; }

    public string IosdMint { get; }

    public string UsdcMint { get; }

    /// <summary>The transactions in chain order; the events add up to exactly <see cref="EconomyShape.Events"/>.</summary>
    public IEnumerable<TransactionEvents> Transactions()
    {
        yield return Tx((s, t) => [new TokensMinted(s, _slot, t, "0", IoMint, _treasury, _treasury, 500_000_000 * Io)]);
        while (_events < _shape.Events)
        {
            var left = _shape.Events - _events;
            var roll = _random.NextDouble() * 100;
            if (roll < 72 || left < 3)
                yield return Reward();
            else if (roll < 77)
            {
                var (burn, mint) = CreditPurchase();
                yield return burn;
                yield return mint;
            }
            else if (roll < 81)
                yield return Tx((s, t) => [new FeesBurned(s, _slot, t, "1", IoMint, _treasury, Amount(Io / 10, 50 * Io))]);
            else if (roll < 84 || _open.Count == 0)
                yield return Fund();
            else if (roll < 89)
                yield return Settle(Math.Min((int)left, 1 + _random.Next(3)));
            else if (roll < 91)
                yield return Close();
            else if (roll < 94)
                yield return Deposit();
            else if (roll < 96 && _staked.Count > 0)
                yield return Withdraw();
            else if (roll < 96.5 && _staked.Count > 0)
                yield return Slash();
            else if (roll < 96.6)
                yield return Tx((s, t) => [new TokensMinted(s, _slot, t, "0", IoMint, _treasury, _treasury, 1_000_000 * Io)]);
            else
                yield return Reward();
        }
    }

    /// <summary>The escrow vault of one payment mint (one per mint, as on chain).</summary>
    private string EscrowVault(string mint)
    {
        if (!_escrowVaults.TryGetValue(mint, out var vault))
            _escrowVaults[mint] = vault = Key();
        return vault;
    }

    private TransactionEvents Reward()
    {
        if (_blockQueue.Count == 0)
        {
            // A new reward block pays about 85% of the devices, in random order, interleaved with everything else.
            _block++;
            foreach (var device in Enumerable.Range(0, _devices.Length).OrderBy(_ => _random.Next()).Where(_ => _random.NextDouble() < 0.85))
                _blockQueue.Enqueue(device);
        }
        var d = _blockQueue.Dequeue();
        return Tx((s, t) => [new RewardPaid(s, _slot, t, "2", _block, _devices[d], _wallets[_deviceOwner[d]], IoMint, Amount(Io, 50 * Io), _rewardsVault)]);
    }

    private (TransactionEvents Burn, TransactionEvents Mint) CreditPurchase()
    {
        var buyer = _random.Next(_wallets.Length);
        var io = Amount(10 * Io, 2_000 * Io);
        var rateMicros = (ulong)_random.NextInt64(1_500_000, 3_500_000);
        var iosd = checked(io * rateMicros / Io);
        var burn = Tx((s, t) => [new TokensBurned(s, _slot, t, "0", IoMint, _tokenAccounts[buyer], _wallets[buyer], io)]);
        var mint = Tx((s, t) =>
        [
            new TokensMinted(s, _slot, t, "1", IosdMint, _tokenAccounts[buyer], _wallets[buyer], iosd),
            new CreditsPurchased(s, _slot, t, "1", _wallets[buyer], burn.Signature, io, iosd,
                (rateMicros / 1_000_000m).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        return (burn, mint);
    }

    private TransactionEvents Fund()
    {
        var payer = _random.Next(_wallets.Length);
        var mint = _random.NextDouble() < 0.8 ? IosdMint : UsdcMint;
        var rental = new Rental(NewId(), payer, mint, Amount(20 * Iosd, 5_000 * Iosd));
        _open.Add(rental);
        return Tx((s, t) => [new RentalFunded(s, _slot, t, "2", rental.Id, _wallets[payer], mint, rental.Funded, EscrowVault(mint))]);
    }

    private TransactionEvents Settle(int suppliers)
    {
        var rental = _open[_random.Next(_open.Count)];
        return Tx((s, t) =>
        {
            var events = new List<IChainEvent>();
            for (var i = 0; i < suppliers; i++)
            {
                var amount = Math.Max(1, (rental.Funded - rental.Paid) * (ulong)_random.Next(10, 40) / 100);
                if (rental.Paid + amount > rental.Funded)
                    break;
                rental.Paid += amount;
                events.Add(new RentalSettled(s, _slot, t, i.ToString(System.Globalization.CultureInfo.InvariantCulture), rental.Id,
                    _wallets[_random.Next(_suppliers)], rental.Mint, amount, EscrowVault(rental.Mint)));
            }
            if (events.Count == 0)
            {
                // Fully paid already: close it instead (one event, as the caller counted at least one).
                _open.Remove(rental);
                return [];
            }
            return events;
        }, fallback: Reward);
    }

    private TransactionEvents Close()
    {
        var rental = _open[_random.Next(_open.Count)];
        _open.Remove(rental);
        var rest = rental.Funded - rental.Paid;
        return rest == 0 ? Reward() : Tx((s, t) => [new RentalRefunded(s, _slot, t, "2", rental.Id, _wallets[rental.Payer], rental.Mint, rest, EscrowVault(rental.Mint))]);
    }

    private TransactionEvents Deposit()
    {
        var d = _random.Next(_devices.Length);
        var amount = Amount(100 * Io, 10_000 * Io);
        if (_stake[d] == 0)
            _staked.Add(d);
        _stake[d] += amount;
        return Tx((s, t) => [new StakeDeposited(s, _slot, t, "0", _devices[d], _wallets[_deviceOwner[d]], IoMint, amount, _stakeVault)]);
    }

    private TransactionEvents Withdraw()
    {
        var d = _staked[_random.Next(_staked.Count)];
        var amount = _random.NextDouble() < 0.5 ? _stake[d] : Math.Max(1, _stake[d] / 2);
        _stake[d] -= amount;
        if (_stake[d] == 0)
            _staked.Remove(d);
        return Tx((s, t) => [new StakeWithdrawn(s, _slot, t, "0", _devices[d], _wallets[_deviceOwner[d]], IoMint, amount, _stakeVault)]);
    }

    private TransactionEvents Slash()
    {
        var d = _staked[_random.Next(_staked.Count)];
        var amount = Math.Max(1, _stake[d] / 10);
        _stake[d] -= amount;
        if (_stake[d] == 0)
            _staked.Remove(d);
        return Tx((s, t) => [new StakeSlashed(s, _slot, t, "0", _devices[d], _wallets[_deviceOwner[d]], IoMint, amount, _stakeVault)]);
    }

    /// <summary>The next transaction: a fresh signature, one to three slots later (~0.4 s a slot).</summary>
    private TransactionEvents Tx(Func<string, long, IReadOnlyList<IChainEvent>> events, Func<TransactionEvents>? fallback = null)
    {
        _slot += (ulong)_random.Next(1, 4);
        var blockTime = FirstBlockTime + (long)(_slot - FirstSlot) * 2 / 5;
        Span<byte> bytes = stackalloc byte[Signature.Length];
        _random.NextBytes(bytes);
        var signature = new Signature(bytes).ToString();
        var list = events(signature, blockTime);
        if (list.Count == 0 && fallback is not null)
            return fallback();
        _events += list.Count;
        return new TransactionEvents(signature, list);
    }

    private ulong Amount(ulong min, ulong max) => (ulong)_random.NextInt64((long)min, (long)max);

    private string Key()
    {
        Span<byte> bytes = stackalloc byte[PublicKey.Length];
        _random.NextBytes(bytes);
        return new PublicKey(bytes).ToString();
    }

    private string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes).ToString("N");
    }
}
