using BenchmarkDotNet.Attributes;
using IoNet.Solana.Keys;

namespace IoNet.Benchmarks.Wire;

/// <summary>A public key to base58, against SimpleBase directly.</summary>
[MemoryDiagnoser]
public class Base58EncodeBenchmarks
{
    private readonly PublicKey _key = WireSamples.Accounts[0];
    private readonly byte[] _bytes = WireSamples.Accounts[0].ToArray();

    [Benchmark(Baseline = true)]
    public string SimpleBaseEncode() => SimpleBase.Base58.Bitcoin.Encode(_bytes);

    [Benchmark]
    public string PublicKeyToString() => _key.ToString();
}

/// <summary>Base58 text to a public key, against SimpleBase directly.</summary>
[MemoryDiagnoser]
public class Base58DecodeBenchmarks
{
    private readonly string _text = WireSamples.Accounts[0].ToString();

    [Benchmark(Baseline = true)]
    public byte[] SimpleBaseDecode() => SimpleBase.Base58.Bitcoin.Decode(_text);

    [Benchmark]
    public PublicKey PublicKeyParse() => PublicKey.Parse(_text);

    [Benchmark]
    public bool PublicKeyTryParse() => PublicKey.TryParse(_text, out _);
}
