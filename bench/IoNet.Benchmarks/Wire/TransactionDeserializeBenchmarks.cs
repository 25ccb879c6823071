using BenchmarkDotNet.Attributes;
using IoNet.Solana.Transactions;

namespace IoNet.Benchmarks.Wire;

/// <summary>Parsing a ~1 KB signed v0 transaction (goal: under 1 µs), against copying its bytes.</summary>
[MemoryDiagnoser]
public class TransactionDeserializeBenchmarks
{
    private readonly byte[] _bytes = WireSamples.Transaction;

    [GlobalSetup]
    public void Setup() => Console.WriteLine($"// v0 transaction: {_bytes.Length} bytes, {Transaction.Deserialize(_bytes).Message.AccountKeys.Count} static keys");

    [Benchmark(Baseline = true)]
    public byte[] CopyBytes() => _bytes.AsSpan().ToArray();

    [Benchmark]
    public Transaction Deserialize() => Transaction.Deserialize(_bytes);
}
