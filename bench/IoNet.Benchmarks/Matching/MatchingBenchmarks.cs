using IoNet.Ledger.Devices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using IoNet.Ledger.Market;
using IoNet.Marketplace.Matching;

namespace IoNet.Benchmarks.Matching;

/// <summary>
/// The order book engine on a book of 100,000 asks (8 GPU models in 2 classes, devices of 1/2/4/8 GPUs, 5,000
/// suppliers, 20 countries, prices in whole cents) and 1,000 resting bids below the asks, on one core (affinity
/// pinned). Each benchmark runs balanced cycles so the book is the same before and after every invocation: asks
/// placed then cancelled, bids that fill then their rentals released. Time per operation = time per Handle call,
/// except the cluster rows, where one operation is a cluster bid plus the release of its rental (so bids/s is at
/// least what they show). Baseline: a plain SortedSet insert then remove of as many (price, sequence) keys into a set
/// of 100,000, the sorted structure a book would use without price levels.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MatchingBenchmarks
{
    private const int BookSize = 100_000;
    private const int Ops = 10_000;
    private const int ClusterOps = 2_000;
    private const int SingleSupplierOps = 500;
    private const int Suppliers = 5_000;
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly (string Model, string Class, ulong Cents)[] Models =
    [
        ("H100", "datacenter", 220), ("H200", "datacenter", 320), ("A100-80GB", "datacenter", 140),
        ("A100-40GB", "datacenter", 110), ("L40S", "datacenter", 90), ("RTX-4090", "consumer", 45),
        ("RTX-3090", "consumer", 25), ("RTX-A6000", "consumer", 60),
    ];

    private static readonly string[] Countries =
        ["US", "DE", "FR", "GB", "NL", "CA", "JP", "KR", "SG", "IN", "BR", "AU", "PL", "SE", "FI", "ES", "IT", "CH", "NO", "IE"];

    private OrderBookEngine _engine = null!;
    private SortedSet<(ulong, long)> _sortedSet = null!;
    private (ulong, long)[] _sortedKeys = [];
    private PlaceAsk[] _newAsks = [];
    private CancelOrder[] _cancels = [];
    private PlaceBid[] _singleBids = [];
    private PlaceBid[] _clusterBids = [];
    private PlaceBid[] _constrainedClusterBids = [];
    private PlaceBid[] _classClusterBids = [];
    private PlaceBid[] _singleSupplierBids = [];
    private readonly Dictionary<PlaceBid[], ReleaseDevices[]> _releases = [];

    private sealed class Config : ManualConfig
    {
        // In process: a separate benchmark project build took over BenchmarkDotNet's 2-minute limit on the loaded
        // 2-core machine, and the engine needs nothing a separate process would isolate.
        public Config() => AddJob(Job.Default.WithAffinity(1).WithWarmupCount(5).WithIterationCount(15)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20260301);
        _engine = new OrderBookEngine();
        for (var i = 0; i < BookSize; i++) Accept(_engine.Handle(RandomAsk(random, i)));
        for (var i = 0; i < 1_000; i++)
        {
            var (model, _, cents) = Models[i % Models.Length];
            Accept(_engine.Handle(new PlaceBid(
                Id(0xb0, i), $"resting-buyer-{i % 97}", model, null, 1 + i % 8, (ulong)(cents / 2) * 10_000, 24, [],
                ConnectivityTier.Low, SecurityTier.Standard, false, PaymentCurrencies.Usdc, Now.AddDays(30), Now)));
        }

        _newAsks = new PlaceAsk[Ops];
        _cancels = new CancelOrder[Ops];
        for (var i = 0; i < Ops; i++)
        {
            _newAsks[i] = RandomAsk(random, BookSize + i);
            _cancels[i] = new CancelOrder(_newAsks[i].AskId, _newAsks[i].Supplier, Now);
        }
        _singleBids = Bids(i => 1, i => Models[i % Models.Length].Model, singleSupplier: false, constrained: false, Ops);
        _clusterBids = Bids(i => 3 + i % 6, i => Models[i % 5].Model, singleSupplier: false, constrained: false, ClusterOps);
        _constrainedClusterBids = Bids(i => 3 + i % 6, i => Models[i % 5].Model, singleSupplier: false, constrained: true, ClusterOps);
        _classClusterBids = Bids(i => 3 + i % 6, null, singleSupplier: false, constrained: false, ClusterOps);
        _singleSupplierBids = Bids(i => 3 + i % 6, i => Models[i % 5].Model, singleSupplier: true, constrained: false, SingleSupplierOps);

        foreach (var bids in new[] { _singleBids, _clusterBids, _constrainedClusterBids, _classClusterBids, _singleSupplierBids })
            _releases[bids] = [.. bids.Select(b => new ReleaseDevices(RentalIds.ForBid(b.BidId), Now))];

        _sortedSet = [];
        for (var i = 0; i < BookSize; i++) _sortedSet.Add(((ulong)random.Next(50, 400) * 10_000, i));
        _sortedKeys = new (ulong, long)[Ops];
        for (var i = 0; i < Ops; i++) _sortedKeys[i] = ((ulong)random.Next(50, 400) * 10_000, BookSize + i);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * Ops)]
    public int SortedSetInsertThenRemove()
    {
        foreach (var key in _sortedKeys) _sortedSet.Add(key);
        foreach (var key in _sortedKeys) _sortedSet.Remove(key);
        return _sortedSet.Count;
    }

    [Benchmark(OperationsPerInvoke = 2 * Ops)]
    public int PlaceAskThenCancel()
    {
        foreach (var ask in _newAsks) _engine.Handle(ask);
        foreach (var cancel in _cancels) _engine.Handle(cancel);
        return _engine.AskCount;
    }

    [Benchmark(OperationsPerInvoke = 2 * Ops)]
    public int SingleDeviceBidFillsThenRelease() => FillThenRelease(_singleBids);

    [Benchmark(OperationsPerInvoke = ClusterOps)]
    public int ClusterBidAcrossSuppliers() => FillThenRelease(_clusterBids);

    [Benchmark(OperationsPerInvoke = ClusterOps)]
    public int ClusterBidWithCountriesAndTiers() => FillThenRelease(_constrainedClusterBids);

    [Benchmark(OperationsPerInvoke = ClusterOps)]
    public int ClusterBidForAClass() => FillThenRelease(_classClusterBids);

    [Benchmark(OperationsPerInvoke = SingleSupplierOps)]
    public int ClusterBidFromOneSupplier() => FillThenRelease(_singleSupplierBids);

    private int FillThenRelease(PlaceBid[] bids)
    {
        var filled = 0;
        foreach (var bid in bids)
            if (_engine.Handle(bid).Events.Count == 2) filled++;
        foreach (var release in _releases[bids]) _engine.Handle(release);
        if (filled != bids.Length) throw new InvalidOperationException($"Only {filled} of {bids.Length} bids filled.");
        return filled;
    }

    private static PlaceBid[] Bids(Func<int, int> gpus, Func<int, string>? model, bool singleSupplier, bool constrained, int count)
    {
        var bids = new PlaceBid[count];
        for (var i = 0; i < count; i++)
        {
            bids[i] = new PlaceBid(
                Id(0xb1, i), "buyer", model?.Invoke(i), model is null ? "datacenter" : null, gpus(i), 20_000_000, 4,
                constrained ? ["US", "DE", "FR", "GB", "NL", "CA", "JP", "KR", "SG", "IN"] : [],
                constrained ? ConnectivityTier.Medium : ConnectivityTier.Low,
                constrained ? SecurityTier.EndToEndEncrypted : SecurityTier.Standard, singleSupplier, PaymentCurrencies.Usdc,
                Now.AddHours(1), Now);
        }
        return bids;
    }

    private static PlaceAsk RandomAsk(Random random, int n)
    {
        var (model, gpuClass, cents) = Models[n % Models.Length];
        var gpus = random.Next(10) switch { < 4 => 1, < 6 => 2, < 8 => 4, _ => 8 };
        var price = (ulong)(cents * (80 + (ulong)random.Next(81)) / 100) * 10_000;
        return new PlaceAsk(
            Id(0xa0, n), Id(0xd0, n), $"supplier-{random.Next(Suppliers)}", model, gpuClass, gpus,
            Countries[random.Next(Countries.Length)], (ConnectivityTier)random.Next(1, 5), (SecurityTier)random.Next(1, 4),
            true, price, 1, 720, Now.AddDays(30), PaymentCurrencies.All, Now);
    }

    private static void Accept(CommandResult result)
    {
        if (!result.Accepted) throw new InvalidOperationException(result.Rejection!.Reason);
    }

    private static Guid Id(int kind, int n) => new($"{kind:x8}-0000-0000-0000-{n:x12}");
}
