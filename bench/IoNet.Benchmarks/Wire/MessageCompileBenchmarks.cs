using BenchmarkDotNet.Attributes;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;

namespace IoNet.Benchmarks.Wire;

/// <summary>Compiling six instructions into a message, against building the same message from already compiled parts.</summary>
[MemoryDiagnoser]
public class MessageCompileBenchmarks
{
    private readonly Message _compiled = WireSamples.Message;

    /// <summary>The floor: a message from its header, keys and compiled instructions, sanitized and written.</summary>
    [Benchmark(Baseline = true)]
    public int FromCompiledParts() =>
        new Message(_compiled.Version, _compiled.Header, _compiled.AccountKeys, _compiled.RecentBlockhash, _compiled.Instructions, _compiled.AddressTableLookups).SerializedLength;

    [Benchmark]
    public int CompileLegacy() =>
        MessageCompiler.CompileLegacy(WireSamples.Signers[0].PublicKey, WireSamples.Instructions, WireSamples.RecentBlockhash).SerializedLength;

    [Benchmark]
    public int CompileV0WithTwoTables() =>
        MessageCompiler.CompileV0(WireSamples.Signers[0].PublicKey, WireSamples.Instructions, WireSamples.RecentBlockhash, WireSamples.Tables).SerializedLength;

    [Benchmark]
    public int CompileV0FirstSeen() =>
        MessageCompiler.CompileV0(WireSamples.Signers[0].PublicKey, WireSamples.Instructions, WireSamples.RecentBlockhash, WireSamples.Tables, KeyOrdering.FirstSeen).SerializedLength;

}
