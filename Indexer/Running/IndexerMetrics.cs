using System.Diagnostics.Metrics;

namespace IoNet.Indexer.Running;

/// <summary>The indexer's OpenTelemetry-ready metrics (meter "IoNet.Indexer").</summary>
public sealed class IndexerMetrics : IDisposable
{
    public const string MeterName = "IoNet.Indexer";

    private readonly Meter _meter = new(MeterName);

    public IndexerMetrics()
    {
        Transactions = _meter.CreateCounter<long>("ionet.indexer.transactions", description: "transactions crawled");
        Appended = _meter.CreateCounter<long>("ionet.indexer.transactions_appended", description: "transactions stored with their events");
        Unknown = _meter.CreateCounter<long>("ionet.indexer.unknown", description: "unknown or malformed instructions and transactions");
        Unavailable = _meter.CreateCounter<long>("ionet.indexer.unavailable", description: "passes held at a listed transaction the node could not serve (asked again next pass)");
        RpcErrors = _meter.CreateCounter<long>("ionet.indexer.rpc_errors", description: "failed crawl passes by RPC error code");
        Retries = _meter.CreateCounter<long>("ionet.indexer.rpc_retries", description: "RPC requests retried, by error kind and code");
        _meter.CreateObservableGauge("ionet.indexer.lag_slots", () => LagSlots, description: "node slot minus the newest indexed slot");
    }

    public Counter<long> Transactions { get; }
    public Counter<long> Appended { get; }
    public Counter<long> Unknown { get; }
    public Counter<long> Unavailable { get; }
    public Counter<long> RpcErrors { get; }
    public Counter<long> Retries { get; }

    /// <summary>For <see cref="Solana.Rpc.SolanaRpcClientOptions.OnRetry"/>.</summary>
    public void Retried(Solana.Rpc.RpcException e, int attempt) =>
        Retries.Add(1, new KeyValuePair<string, object?>("kind", e.Kind.ToString()), new KeyValuePair<string, object?>("code", e.Code));

    public long LagSlots { get; set; }

    public DateTimeOffset? LastPass { get; set; }

    public void Dispose() => _meter.Dispose();
}
