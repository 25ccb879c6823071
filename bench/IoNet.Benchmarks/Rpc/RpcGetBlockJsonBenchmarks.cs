using System.Text.Json;
using BenchmarkDotNet.Attributes;
using IoNet.Solana.Rpc;

namespace IoNet.Benchmarks.Rpc;

/// <summary>getBlock JSON (the 25-transaction devnet block, ~135 KB) into the typed model, against a bare reader pass.</summary>
[MemoryDiagnoser]
public class RpcGetBlockJsonBenchmarks
{
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "..", "shared", "fixtures", "rpc", "getBlock-json.json");
            if (File.Exists(Path.Combine(dir.FullName, "IoNet.sln")) && File.Exists(path))
            {
                _json = File.ReadAllBytes(path);
                return;
            }
        }
        throw new InvalidOperationException("fixture not found above " + AppContext.BaseDirectory);
    }

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
