namespace IoNet.Indexer.Store;

/// <summary>
/// Keeps one append in flight while the caller fetches and decodes the next chunk, so that decoding (client CPU) and
/// the database's work on the previous chunk overlap. Appends still run strictly one after another, in the order they
/// were started, each with a copy of the checkpoint as it was when it started: a crash leaves exactly the chunks whose
/// transactions committed, each with its own checkpoint, as without the pipeline.
/// </summary>
/// <remarks>
/// An append that fails surfaces from the next <see cref="StartAsync"/> or from <see cref="DrainAsync"/>; the caller
/// must drain before it returns (also on its error paths), so that nothing is left running behind it.
/// </remarks>
public sealed class AppendPipeline(IChainEventSink sink, string source, string holder)
{
    private Task<int>? _inFlight;

    /// <summary>Transactions appended by the appends that have completed.</summary>
    public int Appended { get; private set; }

    /// <summary>Waits for the append in flight (if any), then starts this one and returns without waiting for it.</summary>
    public async Task StartAsync(IReadOnlyList<TransactionEvents> batch, SourceCheckpoint checkpoint, CancellationToken ct)
    {
        await DrainAsync().ConfigureAwait(false);
        _inFlight = sink.AppendAsync(source, holder, batch, checkpoint.Copy(), ct);
    }

    /// <summary>Waits for the append in flight; returns <see cref="Appended"/>.</summary>
    public async Task<int> DrainAsync()
    {
        if (_inFlight is { } inFlight)
        {
            _inFlight = null;
            Appended += await inFlight.ConfigureAwait(false);
        }
        return Appended;
    }
}
