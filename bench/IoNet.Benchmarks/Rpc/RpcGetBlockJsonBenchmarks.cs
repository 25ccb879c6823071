using System.Text.Json;
using BenchmarkDotNet.Attributes;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;

namespace IoNet.Benchmarks.Rpc;

/// <summary>getBlock JSON (the 25-transaction devnet block, ~135 KB) into the typed model, against a bare reader pass.</summary>
[MemoryDiagnoser]
public class RpcGetBlockJsonBenchmarks
{
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup() => _json = File.ReadAllBytes(RepoPaths.FixtureFile("rpc", "getBlock-json.json"));

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
    public Block? TypedModel() => RpcJson.ParseBlock(_json);
}
