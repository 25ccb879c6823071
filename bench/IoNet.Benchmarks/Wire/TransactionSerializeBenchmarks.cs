using BenchmarkDotNet.Attributes;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;

namespace IoNet.Benchmarks.Wire;

/// <summary>Writing the ~1 KB v0 transaction: from a parsed transaction, and from a message built from its parts.</summary>
[MemoryDiagnoser]
public class TransactionSerializeBenchmarks
{
    private readonly Transaction _transaction = Transaction.Deserialize(WireSamples.Transaction);
    private readonly byte[] _bytes = WireSamples.Transaction;

    [Benchmark(Baseline = true)]
    public byte[] CopyBytes() => _bytes.AsSpan().ToArray();

    [Benchmark]
    public byte[] Serialize() => _transaction.Serialize();

    /// <summary>A new message from the same parts (sanitized, then written), signatures attached, serialized.</summary>
    [Benchmark]
    public byte[] SerializeFromParts()
    {
        var m = _transaction.Message;
        var message = new Message(m.Version, m.Header, m.AccountKeys, m.RecentBlockhash, m.Instructions, m.AddressTableLookups);
        return new Transaction(message, _transaction.Signatures).Serialize();
    }
}
