namespace IoNet.Marketplace.Matching;

/// <summary>
/// The matchable asks of one GPU model (or one class), a price ladder per device GPU count (the k cheapest devices of
/// g GPUs are the first k of ladder g), and the resting bids that name the same model (or class).
/// </summary>
internal sealed class AskIndex(int slot)
{
    private readonly PriceLadder?[] _buckets = new PriceLadder?[MarketLimits.MaxGpusPerDevice + 1];

    internal int OrderCount { get; private set; }

    /// <summary>The resting bids naming the same model (or class), once there has been one.</summary>
    internal PriceLadder? Bids { get; set; }

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
