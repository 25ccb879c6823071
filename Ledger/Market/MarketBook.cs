using Marten.Events.Projections;

namespace IoNet.Ledger.Market;

/// <summary>
/// The order book's resting orders as the journal leaves them (async projection of the market events; one document,
/// id <see cref="DocumentId"/>), so that a reader without the engine (the explorer) knows each model's best ask and
/// best bid. It follows the engine's Evolve (Marketplace.Api/Matching/OrderBookEngine.Apply): an ask is matchable
/// while eligible and not hired; a hired ask withdrawn meanwhile leaves when its rental releases it; a bid rests until
/// filled, cancelled or expired. Prices are micro-USD per GPU-hour.
/// </summary>
public sealed class MarketBook
{
    public const string DocumentId = "market-book";

    public string Id { get; set; } = DocumentId;

    /// <summary>Asks in the book (hired ones included), by ask id (32 hex digits).</summary>
    public Dictionary<string, BookAsk> Asks { get; set; } = [];

    /// <summary>Resting bids by bid id.</summary>
    public Dictionary<string, BookBid> Bids { get; set; } = [];

    /// <summary>Active rentals (by rental id) and the asks they hired, to release them.</summary>
    public Dictionary<string, List<string>> Rentals { get; set; } = [];

    /// <summary>The lowest price per GPU-hour of a matchable ask of <paramref name="gpuModel"/>, or null.</summary>
    public ulong? BestAsk(string gpuModel) =>
        Asks.Values.Where(a => a.GpuModel == gpuModel && a.Matchable).Select(a => (ulong?)a.PricePerGpuHour).Min();

    /// <summary>The highest price a resting bid for <paramref name="gpuModel"/> (by model, not class) offers, or null.</summary>
    public ulong? BestBid(string gpuModel) =>
        Bids.Values.Where(b => b.GpuModel == gpuModel).Select(b => (ulong?)b.MaxPricePerGpuHour).Max();

    /// <summary>Every model with a matchable ask or a resting model bid (as the engine's GpuModels()).</summary>
    public IEnumerable<string> Models() =>
        Asks.Values.Where(a => a.Matchable).Select(a => a.GpuModel).Concat(Bids.Values.Select(b => b.GpuModel).OfType<string>()).Distinct(StringComparer.Ordinal);

    internal static string Key(Guid id) => id.ToString("N");
}

/// <summary>An ask in the book: matchable while <see cref="Eligible"/> and not <see cref="Hired"/>.</summary>
public sealed record BookAsk(string DeviceId, string GpuModel, int GpuCount, ulong PricePerGpuHour, bool Eligible, bool Hired, bool Withdrawn)
{
    public bool Matchable => Eligible && !Hired;
}

/// <summary>A resting bid (a model bid or a class bid).</summary>
public sealed record BookBid(string? GpuModel, string? GpuClass, int GpuCount, ulong MaxPricePerGpuHour, DateTimeOffset ExpiresAt);

public sealed class MarketBookProjection : MultiStreamProjection<MarketBook, string>
{
    public MarketBookProjection()
    {
        Identity<AskPlaced>(_ => MarketBook.DocumentId);
        Identity<BidPlaced>(_ => MarketBook.DocumentId);
        Identity<OrderCancelled>(_ => MarketBook.DocumentId);
        Identity<BidFilled>(_ => MarketBook.DocumentId);
        Identity<BidExpired>(_ => MarketBook.DocumentId);
        Identity<AskExpired>(_ => MarketBook.DocumentId);
        Identity<AskEligibilityChanged>(_ => MarketBook.DocumentId);
        Identity<DevicesReleased>(_ => MarketBook.DocumentId);
    }

    public static void Apply(AskPlaced e, MarketBook book) =>
        book.Asks[MarketBook.Key(e.AskId)] = new BookAsk(MarketBook.Key(e.DeviceId), e.GpuModel, e.GpuCount, e.PricePerGpuHour, e.Eligible, false, false);

    public static void Apply(BidPlaced e, MarketBook book) =>
        book.Bids[MarketBook.Key(e.BidId)] = new BookBid(e.GpuModel, e.GpuClass, e.GpuCount, e.MaxPricePerGpuHour, e.ExpiresAt);

    public static void Apply(OrderCancelled e, MarketBook book)
    {
        var key = MarketBook.Key(e.OrderId);
        if (e.Side == OrderSide.Bid)
            book.Bids.Remove(key);
        else if (book.Asks.TryGetValue(key, out var ask))
        {
            // A hired ask stays until its rental releases the device.
            if (ask.Hired)
                book.Asks[key] = ask with { Withdrawn = true };
            else
                book.Asks.Remove(key);
        }
    }

    public static void Apply(BidFilled e, MarketBook book)
    {
        book.Bids.Remove(MarketBook.Key(e.BidId));
        var hired = new List<string>(e.Devices.Count);
        foreach (var device in e.Devices)
        {
            var key = MarketBook.Key(device.AskId);
            if (book.Asks.TryGetValue(key, out var ask))
                book.Asks[key] = ask with { Hired = true };
            hired.Add(key);
        }
        book.Rentals[MarketBook.Key(e.RentalId)] = hired;
    }

    public static void Apply(BidExpired e, MarketBook book) => book.Bids.Remove(MarketBook.Key(e.BidId));

    public static void Apply(AskExpired e, MarketBook book) => book.Asks.Remove(MarketBook.Key(e.AskId));

    public static void Apply(AskEligibilityChanged e, MarketBook book)
    {
        var key = MarketBook.Key(e.AskId);
        if (book.Asks.TryGetValue(key, out var ask))
            book.Asks[key] = ask with { Eligible = e.Eligible };
    }

    public static void Apply(DevicesReleased e, MarketBook book)
    {
        if (!book.Rentals.Remove(MarketBook.Key(e.RentalId), out var asks))
            return;
        foreach (var key in asks)
        {
            if (!book.Asks.TryGetValue(key, out var ask))
                continue;
            if (ask.Withdrawn)
                book.Asks.Remove(key);
            else
                book.Asks[key] = ask with { Hired = false };
        }
    }
}
