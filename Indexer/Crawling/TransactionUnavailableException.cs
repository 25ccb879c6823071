using IoNet.Indexer.Store;
using IoNet.Solana;

namespace IoNet.Indexer.Crawling;

/// <summary>A one-shot crawl gave up on a transaction the node would not serve; the source's checkpoint stays below it.</summary>
public sealed class TransactionUnavailableException(string source, UnavailableTransaction waiting)
    : SolanaException($"{source} stopped at transaction {waiting}. Nothing was skipped: its checkpoint stays there; run again once the node serves it.")
{
    public string SourceName { get; } = source;

    public UnavailableTransaction Waiting { get; } = waiting;
}
