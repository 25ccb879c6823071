namespace IoNet.Marketplace.Orders;

/// <summary>Marketplace:Market — the order book's host and the rentals' timers.</summary>
public sealed class MarketSettings
{
    public const string Section = "Marketplace:Market";

    /// <summary>How long a matched rental waits for its payment (and an extension for its own) before it lapses.</summary>
    public TimeSpan PaymentWindow { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// How often the engine's clock advances (bids expire) and the rentals' timers are checked (payment windows,
    /// booked time, devices of finished rentals still held).
    /// </summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most inputs decided and journaled in one database transaction.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Inputs that may wait in the queue; a request beyond waits for room.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Longest a bid may rest (and its default when the request names no expiry).</summary>
    public TimeSpan MaxBidLifetime { get; set; } = TimeSpan.FromDays(7);
}
