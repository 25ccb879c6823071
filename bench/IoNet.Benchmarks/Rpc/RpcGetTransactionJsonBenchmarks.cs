using System.Text.Json;
using BenchmarkDotNet.Attributes;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;

namespace IoNet.Benchmarks.Rpc;

/// <summary>getTransaction JSON (the v0 swap fixture, ~30 KB) into the typed model, against a bare reader pass.</summary>
[MemoryDiagnoser]
public class RpcGetTransactionJsonBenchmarks
{
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup() => _json = File.ReadAllBytes(RepoPaths.FixtureFile("rpc", "getTransaction-json-v0-swap-loadedAddresses.json"));

    [Benchmark(Baseline = true)]
    public int BareUtf8JsonReader()
    {
        var reader = new Utf8JsonReader(_json);
        var tokens = 0;
        while (reader.Read())
            tokens++;
        return tokens;
    }

    [Benchmark]
    public TransactionResponse? TypedModel() => RpcJson.ParseTransaction(_json);
}
