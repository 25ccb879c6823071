namespace IoNet.Marketplace.Matching;

/// <summary>
/// The matchable asks of one GPU model (or one class), a price ladder per device GPU count: the k cheapest devices of
/// g GPUs are the first k of ladder g.
/// </summary>
internal sealed class AskIndex(int slot)
{
    private readonly PriceLadder?[] _buckets = new PriceLadder?[MarketLimits.MaxGpusPerDevice + 1];

    internal int OrderCount { get; private set; }

    internal PriceLadder? Bucket(int gpus) => _buckets[gpus];

    internal void Add(AskEntry ask)
    {
        (_buckets[ask.Gpus] ??= new PriceLadder(slot)).Add(ask, ask.Price, ask.Gpus);
        OrderCount++;
    }

    internal void Remove(AskEntry ask)
    {
        _buckets[ask.Gpus]!.Remove(ask, ask.Gpus);
        OrderCount--;
    }
}
