using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using IoNet.Indexer.Decoding;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana.Rpc;

namespace IoNet.Benchmarks.Indexing;

/// <summary>
/// The indexer's bare per-transaction decode, no store: the whole of it (<see cref="ParseDecodeMap"/>: getTransaction
/// JSON → typed model → <see cref="TransactionDecoder.Decode"/> → <see cref="ChainEventMapper.Map"/>, what
/// <see cref="IndexingBenchmarks.BareDecode"/> measures) and its stages (<see cref="Parse"/>, <see cref="DecodeOnly"/>,
/// <see cref="DecodeMap"/> on responses parsed beforehand). Both encodings of the
/// same 2000 transactions (<see cref="IndexingSamples.Distinct"/>): the recorded <c>json</c>, and <c>base64</c> made
/// from it (each transaction serialized back to its wire bytes; the meta as recorded). No PostgreSQL needed.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class DecodeBenchmarks
{
    public const int N = IndexingBenchmarks.N;

    private sealed class Config : ManualConfig
    {
        // Several invocations an iteration (BenchmarkDotNet's pilot picks how many) and enough warm-ups that tiered
        // compilation has finished: one 2000-transaction invocation an iteration measured tier-0 code and single GCs.
        public Config() => AddJob(Job.Default.WithWarmupCount(6).WithIterationCount(15));
    }

    [Params("json", "base64")]
    public string Encoding { get; set; } = "json";

    private byte[][] _responses = [];
    private TransactionResponse[] _parsed = [];
    private IoNetAddresses _network = null!;

    [GlobalSetup]
    public void Setup()
    {
        var json = IndexingSamples.Distinct(IndexingSamples.Responses(), N);
        _responses = Encoding == "json" ? json : json.Select(IndexingSamples.ToBase64Response).ToArray();
        _parsed = _responses.Select(r => RpcJson.ParseTransaction(r)!).ToArray();
        _network = IndexingSamples.Network();
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int Parse()
    {
        var n = 0;
        foreach (var r in _responses)
            n += RpcJson.ParseTransaction(r)!.Meta!.LogMessages!.Count;
        return n;
    }

    /// <summary><see cref="TransactionDecoder.Decode"/> alone, on responses parsed beforehand.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int DecodeOnly()
    {
        var n = 0;
        foreach (var r in _parsed)
            n += TransactionDecoder.Decode(r).Instructions.Count;
        return n;
    }

    /// <summary><see cref="ChainEventMapper.Map"/> included: decoded and mapped, on responses parsed beforehand.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int DecodeMap()
    {
        var n = 0;
        foreach (var r in _parsed)
            n += ChainEventMapper.Map(TransactionDecoder.Decode(r), _network).Events.Count;
        return n;
    }

    /// <summary>The whole bare decode: bytes → model → decoded → events.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int ParseDecodeMap()
    {
        var n = 0;
        foreach (var r in _responses)
            n += ChainEventMapper.Map(TransactionDecoder.Decode(RpcJson.ParseTransaction(r)!), _network).Events.Count;
        return n;
    }
}
