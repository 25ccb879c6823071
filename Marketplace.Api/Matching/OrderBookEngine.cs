using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Matching;

/// <summary>
/// The marketplace's order book and matching engine: pure (no clock, no I/O; commands carry their time), in memory,
/// single threaded (no locks: one host thread feeds it from a queue), deterministic.
/// </summary>
/// <remarks>
/// <para><b>Use.</b> <see cref="Handle(IMarketCommand)"/> decides a command: accepted, it returns the events to
/// journal (already applied here); rejected, a reason and no change. <see cref="Apply"/> replays one journaled event;
/// <see cref="Rebuild"/> replays them all at start. The book is mutable for speed, so the Decide / Evolve pair of the
/// other capabilities is this pair of methods: every change of state goes through <see cref="Apply"/>, also while
/// handling, which is why a rebuilt book equals the original (<see cref="Snapshot"/>).</para>
/// <para><b>Matching</b> (docs/marketplace.md, "Matching"). A bid for G GPUs fills atomically with a set of asks whose
/// devices' GPU counts sum to exactly G (devices are hired whole) such that every ask is eligible, not hired, of the
/// bid's model (or of a model in the bid's class), priced at most the bid's maximum, takes the bid's hours (min ≤ hours
/// ≤ max, and now + hours ≤ available-until), is in an allowed country, meets the minimum connectivity and security
/// tiers, accepts the bid's currency, and is not the buyer's own (no self-trade); with single-supplier, all from one
/// supplier. Among those sets the cheapest per hour (Σ price × GPUs) wins; between equally cheap sets, time priority:
/// the set holding the earliest ask of those the two sets differ in. Each supplier is paid its own asked price.
/// A bid that cannot fill rests until it expires. When supply enters the book (an ask placed, a device made eligible,
/// devices released) resting bids are tried in price-time priority (highest maximum first, then earliest) and each
/// fills if it now can; a resting bid is never fillable from the book as it stands.</para>
/// <para><b>Time priority</b> is the order in which an order last entered the matchable book: placement, or for an ask
/// the moment its device became eligible again or returned from a rental.</para>
/// </remarks>
public sealed partial class OrderBookEngine
{
    private const long TicksPerHour = TimeSpan.TicksPerHour;

    private readonly Dictionary<Guid, AskEntry> _asks = [];
    private readonly Dictionary<Guid, AskEntry> _devices = [];
    private readonly Dictionary<Guid, BidEntry> _bids = [];
    private readonly Dictionary<Guid, RentalEntry> _rentals = [];
    private readonly Dictionary<string, AskIndex> _asksByModel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AskIndex> _asksByClass = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PriceLadder> _bidsByModel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PriceLadder> _bidsByClass = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _lastFillPrice = new(StringComparer.Ordinal);
    private readonly PriorityQueue<BidEntry, UInt128> _bidExpiries = new();
    private readonly PriorityQueue<AskEntry, UInt128> _askExpiries = new();
    private readonly ClusterSearch _search = new();
    private readonly List<BidEntry> _bidScratch = [];
    private readonly List<AskEntry> _askScratch = [];
    private readonly List<PriceLadder> _ladderScratch = [];
    private long _sequence;
    private long _placements;
    private int _hiredDevices;
    private List<IMarketEvent>? _emitted;

    /// <summary>Replays journaled events, oldest first, into a new book.</summary>
    public static OrderBookEngine Rebuild(IEnumerable<IMarketEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var engine = new OrderBookEngine();
        foreach (var e in events) engine.Apply(e);
        return engine;
    }

    /// <summary>Asks in the book (matchable, ineligible or hired; not those withdrawn while hired).</summary>
    public int AskCount => _asks.Count;

    /// <summary>Resting bids.</summary>
    public int BidCount => _bids.Count;

    /// <summary>Active rentals (filled, not yet released).</summary>
    public int RentalCount => _rentals.Count;

    /// <summary>Devices in active rentals.</summary>
    public int HiredDeviceCount => _hiredDevices;

    // ---------- commands ----------

    /// <summary>Decides any command (dispatches to the typed overloads).</summary>
    public CommandResult Handle(IMarketCommand command) => command switch
    {
        PlaceAsk c => Handle(c),
        PlaceBid c => Handle(c),
        CancelOrder c => Handle(c),
        ChangeDeviceEligibility c => Handle(c),
        ReleaseDevices c => Handle(c),
        AdvanceClock c => Handle(c),
        null => throw new ArgumentNullException(nameof(command)),
        _ => throw new ArgumentException($"Unknown market command {command.GetType().Name}.", nameof(command)),
    };

    /// <summary>Places an ask; if its device is eligible, resting bids are tried against it.</summary>
    public CommandResult Handle(PlaceAsk command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (ValidateAsk(command) is { } invalid) return CommandResult.Refuse(RejectionCode.Invalid, invalid);
        if (_asks.ContainsKey(command.AskId) || _bids.ContainsKey(command.AskId))
            return CommandResult.Refuse(RejectionCode.Duplicate, $"Order {command.AskId:N} is already in the book.");
        if (_devices.TryGetValue(command.DeviceId, out var existing))
            return CommandResult.Refuse(RejectionCode.Conflict, existing.Rental is null
                ? $"Device {command.DeviceId:N} already has ask {existing.AskId:N} in the book."
                : $"Device {command.DeviceId:N} is hired in rental {existing.Rental.RentalId:N}.");

        var events = Begin();
        Emit(new AskPlaced(
            command.AskId, command.DeviceId, command.Supplier, command.GpuModel, command.GpuClass, command.GpuCount,
            CountrySet.Canonical(command.Country), command.Connectivity, command.Security, command.Eligible,
            command.PricePerGpuHour, command.MinHours, command.MaxHours, command.AvailableUntil,
            command.AcceptedCurrencies, command.Now));
        var ask = _asks[command.AskId];
        if (ask.Listed)
        {
            _askScratch.Clear();
            _askScratch.Add(ask);
            FillRestingBids(command.Now);
        }
        return End(events);
    }

    /// <summary>Places a bid: it fills at once with the best set of asks, or rests until it expires.</summary>
    public CommandResult Handle(PlaceBid command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (ValidateBid(command) is { } invalid) return CommandResult.Refuse(RejectionCode.Invalid, invalid);
        if (_bids.ContainsKey(command.BidId) || _asks.ContainsKey(command.BidId))
            return CommandResult.Refuse(RejectionCode.Duplicate, $"Order {command.BidId:N} is already in the book.");

        var events = Begin();
        Emit(new BidPlaced(
            command.BidId, command.Buyer, command.GpuModel, command.GpuClass, command.GpuCount,
            command.MaxPricePerGpuHour, command.Hours, CanonicalCountries(command.AllowedCountries),
            command.MinConnectivity, command.MinSecurity, command.SingleSupplier, command.Currency,
            command.ExpiresAt, command.Now));
        TryFill(_bids[command.BidId], command.Now);
        return End(events);
    }

    /// <summary>Withdraws an order for its owner. A hired device's ask is withdrawn at its rental's release.</summary>
    public CommandResult Handle(CancelOrder command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_asks.TryGetValue(command.OrderId, out var ask))
        {
            if (!string.Equals(ask.Supplier, command.Wallet, StringComparison.Ordinal))
                return CommandResult.Refuse(RejectionCode.NotOwner, $"Ask {command.OrderId:N} belongs to another wallet.");
            var events = Begin();
            Emit(new OrderCancelled(command.OrderId, OrderSide.Ask, ask.Supplier, command.Now));
            return End(events);
        }
        if (_bids.TryGetValue(command.OrderId, out var bid))
        {
            if (!string.Equals(bid.Buyer, command.Wallet, StringComparison.Ordinal))
                return CommandResult.Refuse(RejectionCode.NotOwner, $"Bid {command.OrderId:N} belongs to another wallet.");
            var events = Begin();
            Emit(new OrderCancelled(command.OrderId, OrderSide.Bid, bid.Buyer, command.Now));
            return End(events);
        }
        return CommandResult.Refuse(RejectionCode.NotFound, $"No order {command.OrderId:N} in the book.");
    }

    /// <summary>Makes a device's ask matchable or not; a device made eligible is tried against resting bids.</summary>
    public CommandResult Handle(ChangeDeviceEligibility command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_devices.TryGetValue(command.DeviceId, out var ask) || ask.Withdrawn)
            return CommandResult.Refuse(RejectionCode.NotFound, $"Device {command.DeviceId:N} has no ask in the book.");
        if (ask.Eligible == command.Eligible)
            return CommandResult.Refuse(RejectionCode.Unchanged,
                $"Device {command.DeviceId:N} is already {(command.Eligible ? "eligible" : "ineligible")}.");

        var events = Begin();
        Emit(new AskEligibilityChanged(ask.AskId, ask.DeviceId, command.Eligible, command.Now));
        if (ask.Listed)
        {
            _askScratch.Clear();
            _askScratch.Add(ask);
            FillRestingBids(command.Now);
        }
        return End(events);
    }

    /// <summary>Ends a rental's hire: its devices return to the book (or expire), then resting bids are tried.</summary>
    public CommandResult Handle(ReleaseDevices command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_rentals.TryGetValue(command.RentalId, out var rental))
            return CommandResult.Refuse(RejectionCode.NotFound, $"No active rental {command.RentalId:N}.");

        var events = Begin();
        var deviceIds = new Guid[rental.Asks.Length];
        for (var i = 0; i < deviceIds.Length; i++) deviceIds[i] = rental.Asks[i].DeviceId;
        Emit(new DevicesReleased(rental.RentalId, deviceIds, command.Now));

        var nowTicks = command.Now.UtcTicks;
        _askScratch.Clear();
        foreach (var ask in rental.Asks)
        {
            if (ask.Withdrawn) continue;
            if (ask.AvailableUntilTicks <= nowTicks) Emit(new AskExpired(ask.AskId, ask.DeviceId, ask.Supplier, command.Now));
            else if (ask.Listed) _askScratch.Add(ask);
        }
        if (_askScratch.Count > 0) FillRestingBids(command.Now);
        return End(events);
    }

    /// <summary>Expires resting bids whose expiry and asks whose availability is at or before Now.</summary>
    public CommandResult Handle(AdvanceClock command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var events = Begin();
        var nowTicks = command.Now.UtcTicks;
        while (_bidExpiries.TryPeek(out var bid, out _) && bid.ExpiresAtTicks <= nowTicks)
        {
            _bidExpiries.Dequeue();
            if (bid.Resting) Emit(new BidExpired(bid.BidId, bid.Buyer, command.Now));
        }
        _askScratch.Clear();
        while (_askExpiries.TryPeek(out var ask, out _) && ask.AvailableUntilTicks <= nowTicks)
        {
            _askExpiries.Dequeue();
            if (!IsInBook(ask)) continue;
            // A hired device's ask expires when its rental releases it; keep it queued meanwhile.
            if (ask.Rental is not null) _askScratch.Add(ask);
            else Emit(new AskExpired(ask.AskId, ask.DeviceId, ask.Supplier, command.Now));
        }
        foreach (var ask in _askScratch) _askExpiries.Enqueue(ask, ExpiryKey(ask.AvailableUntilTicks, ask.Placement));
        _askScratch.Clear();
        return End(events);
    }

    // ---------- events ----------

    /// <summary>
    /// Applies one journaled event (the Evolve step). Events must come in the order they were produced; an event
    /// that does not fit the book (a journal from elsewhere) throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public void Apply(IMarketEvent e)
    {
        switch (e)
        {
            case AskPlaced placed: Evolve(placed); break;
            case BidPlaced placed: Evolve(placed); break;
            case OrderCancelled cancelled: Evolve(cancelled); break;
            case BidFilled filled: Evolve(filled); break;
            case BidExpired expired: RemoveBid(BidOf(expired.BidId)); break;
            case AskExpired expired: Evolve(expired); break;
            case AskEligibilityChanged changed: Evolve(changed); break;
            case DevicesReleased released: Evolve(released); break;
            case null: throw new ArgumentNullException(nameof(e));
            default: throw new ArgumentException($"Unknown market event {e.GetType().Name}.", nameof(e));
        }
    }

    private void Evolve(AskPlaced e)
    {
        var ask = new AskEntry
        {
            AskId = e.AskId, DeviceId = e.DeviceId, Supplier = e.Supplier, GpuModel = e.GpuModel, GpuClass = e.GpuClass,
            Gpus = e.GpuCount, Country = e.Country, CountryIndex = CountrySet.IndexOf(e.Country),
            Connectivity = e.Connectivity, Security = e.Security, Price = e.PricePerGpuHour, MinHours = e.MinHours,
            MaxHours = e.MaxHours, AvailableUntil = e.AvailableUntil, AvailableUntilTicks = e.AvailableUntil.UtcTicks,
            Accepted = e.AcceptedCurrencies, Placement = ++_placements, Eligible = e.Eligible,
            ModelIndex = Index(_asksByModel, e.GpuModel, 0), ClassIndex = Index(_asksByClass, e.GpuClass, 1),
        };
        _asks.Add(ask.AskId, ask);
        _devices.Add(ask.DeviceId, ask);
        if (ask.Eligible) List(ask);
        if (_askExpiries.Count >= 2 * _devices.Count + 1024) CompactAskExpiries();
        _askExpiries.Enqueue(ask, ExpiryKey(ask.AvailableUntilTicks, ask.Placement));
    }

    private void Evolve(BidPlaced e)
    {
        CountrySet? countries = null;
        if (e.AllowedCountries.Count > 0)
        {
            countries = new CountrySet();
            foreach (var code in e.AllowedCountries) countries.Add(CountrySet.IndexOf(code));
        }
        var bid = new BidEntry
        {
            BidId = e.BidId, Buyer = e.Buyer, GpuModel = e.GpuModel, GpuClass = e.GpuClass, Gpus = e.GpuCount,
            MaxPrice = e.MaxPricePerGpuHour, Hours = e.Hours, HoursTicks = e.Hours * TicksPerHour,
            AllowedCountries = e.AllowedCountries, Countries = countries, MinConnectivity = e.MinConnectivity,
            MinSecurity = e.MinSecurity, SingleSupplier = e.SingleSupplier, Currency = e.Currency,
            ExpiresAt = e.ExpiresAt, ExpiresAtTicks = e.ExpiresAt.UtcTicks,
            Priority = ++_sequence, Resting = true,
        };
        (bid.Index, bid.Ladder) = BidPlace(bid);
        _bids.Add(bid.BidId, bid);
        bid.Ladder.Add(bid, ulong.MaxValue - bid.MaxPrice, bid.Gpus);
        if (_bidExpiries.Count >= 2 * _bids.Count + 1024) CompactBidExpiries();
        _bidExpiries.Enqueue(bid, ExpiryKey(bid.ExpiresAtTicks, bid.Priority));
    }

    private void Evolve(OrderCancelled e)
    {
        if (e.Side == OrderSide.Bid)
        {
            RemoveBid(BidOf(e.OrderId));
            return;
        }
        var ask = AskOf(e.OrderId);
        _asks.Remove(ask.AskId);
        if (ask.Rental is not null)
        {
            ask.Withdrawn = true;
            return;
        }
        if (ask.Listed) Unlist(ask);
        _devices.Remove(ask.DeviceId);
    }

    private void Evolve(BidFilled e)
    {
        RemoveBid(BidOf(e.BidId));
        var asks = new AskEntry[e.Devices.Count];
        var rental = new RentalEntry { RentalId = e.RentalId, BidId = e.BidId, Buyer = e.Buyer, Asks = asks };
        for (var i = 0; i < asks.Length; i++)
        {
            var device = e.Devices[i];
            var ask = AskOf(device.AskId);
            if (!ask.Listed || ask.DeviceId != device.DeviceId)
                throw new InvalidOperationException($"Device {device.DeviceId:N} is not available for bid {e.BidId:N}.");
            Unlist(ask);
            ask.Rental = rental;
            asks[i] = ask;
        }
        _rentals.Add(rental.RentalId, rental);
        _hiredDevices += asks.Length;
        RecordLastFillPrices(e.Devices);
    }

    private void Evolve(AskExpired e)
    {
        var ask = AskOf(e.AskId);
        if (ask.Rental is not null) throw new InvalidOperationException($"Ask {e.AskId:N} is hired and cannot expire.");
        if (ask.Listed) Unlist(ask);
        _asks.Remove(ask.AskId);
        _devices.Remove(ask.DeviceId);
    }

    private void Evolve(AskEligibilityChanged e)
    {
        var ask = AskOf(e.AskId);
        ask.Eligible = e.Eligible;
        if (ask.Rental is not null) return;
        if (e.Eligible && !ask.Listed) List(ask);
        else if (!e.Eligible && ask.Listed) Unlist(ask);
    }

    private void Evolve(DevicesReleased e)
    {
        if (!_rentals.Remove(e.RentalId, out var rental))
            throw new InvalidOperationException($"No active rental {e.RentalId:N}.");
        _hiredDevices -= rental.Asks.Length;
        foreach (var ask in rental.Asks)
        {
            ask.Rental = null;
            if (ask.Withdrawn) _devices.Remove(ask.DeviceId);
            else if (ask.Eligible) List(ask);
        }
    }

    // ---------- matching ----------

    private void TryFill(BidEntry bid, DateTimeOffset now)
    {
        if (bid.Index.OrderCount == 0 || !_search.Find(bid, bid.Index, now.UtcTicks)) return;

        var chosen = _search.Chosen;
        var devices = new HiredDevice[chosen.Length];
        for (var i = 0; i < chosen.Length; i++)
        {
            var ask = chosen[i];
            devices[i] = new HiredDevice(ask.AskId, ask.DeviceId, ask.Supplier, ask.GpuModel, ask.Gpus, ask.Price);
        }
        var perHour = _search.ChosenPerHour;
        Emit(new BidFilled(
            RentalIds.ForBid(bid.BidId), bid.BidId, bid.Buyer, bid.Gpus, bid.Hours, bid.Currency, devices,
            perHour, checked(perHour * (ulong)bid.Hours), now));
    }

    /// <summary>
    /// Supply entered the book (the asks in _askScratch, all listed): tries the resting bids that could use any of it,
    /// in price-time priority, until none of it is left. Only those bids can have become fillable.
    /// </summary>
    private void FillRestingBids(DateTimeOffset now)
    {
        var asks = _askScratch;
        var minPrice = ulong.MaxValue;
        _ladderScratch.Clear();
        foreach (var ask in asks)
        {
            minPrice = Math.Min(minPrice, ask.Price);
            if (ask.ModelIndex.Bids is { OrderCount: > 0 } byModel && !_ladderScratch.Contains(byModel))
                _ladderScratch.Add(byModel);
            if (ask.ClassIndex.Bids is { OrderCount: > 0 } byClass && !_ladderScratch.Contains(byClass))
                _ladderScratch.Add(byClass);
        }
        var bids = _bidScratch;
        bids.Clear();
        var keyLimit = ulong.MaxValue - minPrice;
        foreach (var ladder in _ladderScratch)
        {
            for (var l = 0; l < ladder.LevelCount; l++)
            {
                var level = ladder.LevelAt(l);
                if (level.Key > keyLimit) break;
                for (var e = level.Head; e is not null; e = ladder.Next(e)) bids.Add((BidEntry)e);
            }
        }
        if (bids.Count == 0) return;
        if (_ladderScratch.Count > 1) bids.Sort(BidPriority.Instance);

        var nowTicks = now.UtcTicks;
        foreach (var bid in bids)
        {
            if (!bid.Resting || bid.ExpiresAtTicks <= nowTicks || !UsesAny(bid, asks, nowTicks)) continue;
            TryFill(bid, now);
            if (!AnyListed(asks)) break;
        }
        bids.Clear();
    }

    private static bool UsesAny(BidEntry bid, List<AskEntry> asks, long nowTicks)
    {
        foreach (var ask in asks)
        {
            if (!ask.Listed) continue;
            var sameKind = bid.GpuModel is not null
                ? string.Equals(bid.GpuModel, ask.GpuModel, StringComparison.Ordinal)
                : string.Equals(bid.GpuClass, ask.GpuClass, StringComparison.Ordinal);
            if (sameKind && ClusterSearch.Fits(ask, bid, nowTicks)) return true;
        }
        return false;
    }

    private static bool AnyListed(List<AskEntry> asks)
    {
        foreach (var ask in asks)
            if (ask.Listed) return true;
        return false;
    }

    private sealed class BidPriority : IComparer<BidEntry>
    {
        internal static readonly BidPriority Instance = new();

        public int Compare(BidEntry? x, BidEntry? y) =>
            x!.MaxPrice != y!.MaxPrice ? y.MaxPrice.CompareTo(x.MaxPrice) : x.Priority.CompareTo(y.Priority);
    }

    // ---------- book keeping ----------

    private void List(AskEntry ask)
    {
        ask.Priority = ++_sequence;
        ask.Listed = true;
        ask.ModelIndex.Add(ask);
        ask.ClassIndex.Add(ask);
    }

    private void Unlist(AskEntry ask)
    {
        ask.Listed = false;
        ask.ModelIndex.Remove(ask);
        ask.ClassIndex.Remove(ask);
    }

    private static AskIndex Index(Dictionary<string, AskIndex> indices, string key, int slot)
    {
        if (!indices.TryGetValue(key, out var index))
        {
            index = new AskIndex(slot);
            indices.Add(key, index);
        }
        return index;
    }

    /// <summary>The index a bid searches and the ladder it rests in (created with the first bid of its kind).</summary>
    private (AskIndex, PriceLadder) BidPlace(BidEntry bid)
    {
        var (indices, ladders, key, slot) = bid.GpuModel is not null
            ? (_asksByModel, _bidsByModel, bid.GpuModel, 0)
            : (_asksByClass, _bidsByClass, bid.GpuClass!, 1);
        var index = Index(indices, key, slot);
        if (index.Bids is null)
        {
            index.Bids = new PriceLadder(0);
            ladders.Add(key, index.Bids);
        }
        return (index, index.Bids);
    }

    private void RemoveBid(BidEntry bid)
    {
        bid.Resting = false;
        _bids.Remove(bid.BidId);
        bid.Ladder.Remove(bid, bid.Gpus);
    }

    private AskEntry AskOf(Guid askId) =>
        _asks.TryGetValue(askId, out var ask) ? ask : throw new InvalidOperationException($"No ask {askId:N} in the book.");

    private BidEntry BidOf(Guid bidId) =>
        _bids.TryGetValue(bidId, out var bid) ? bid : throw new InvalidOperationException($"No resting bid {bidId:N}.");

    private bool IsInBook(AskEntry ask) => _devices.TryGetValue(ask.DeviceId, out var current) && ReferenceEquals(current, ask);

    private void RecordLastFillPrices(IReadOnlyList<HiredDevice> devices)
    {
        // GPU-weighted mean price per model in this fill (a class bid may hire several models).
        for (var i = 0; i < devices.Count; i++)
        {
            var model = devices[i].GpuModel;
            var seenBefore = false;
            for (var j = 0; j < i && !seenBefore; j++) seenBefore = devices[j].GpuModel == model;
            if (seenBefore) continue;
            ulong total = 0, gpus = 0;
            for (var j = i; j < devices.Count; j++)
            {
                if (devices[j].GpuModel != model) continue;
                total = checked(total + devices[j].PricePerGpuHour * (ulong)devices[j].GpuCount);
                gpus += (ulong)devices[j].GpuCount;
            }
            _lastFillPrice[model] = total / gpus;
        }
    }

    private static UInt128 ExpiryKey(long ticks, long order) => ((UInt128)(ulong)ticks << 64) | (ulong)order;

    private void CompactBidExpiries()
    {
        var live = new List<(BidEntry, UInt128)>(_bids.Count);
        foreach (var (bid, key) in _bidExpiries.UnorderedItems)
            if (bid.Resting) live.Add((bid, key));
        _bidExpiries.Clear();
        _bidExpiries.EnqueueRange(live);
    }

    private void CompactAskExpiries()
    {
        var live = new List<(AskEntry, UInt128)>(_devices.Count);
        foreach (var (ask, key) in _askExpiries.UnorderedItems)
            if (IsInBook(ask)) live.Add((ask, key));
        _askExpiries.Clear();
        _askExpiries.EnqueueRange(live);
    }

    private List<IMarketEvent> Begin()
    {
        var events = new List<IMarketEvent>(2);
        _emitted = events;
        return events;
    }

    private void Emit(IMarketEvent e)
    {
        Apply(e);
        _emitted!.Add(e);
    }

    private CommandResult End(List<IMarketEvent> events)
    {
        _emitted = null;
        return CommandResult.Of(events);
    }

    // ---------- validation ----------

    private static string? ValidateAsk(PlaceAsk c)
    {
        if (c.AskId == Guid.Empty) return "An ask needs an id.";
        if (c.DeviceId == Guid.Empty) return "An ask needs a device id.";
        if (string.IsNullOrWhiteSpace(c.Supplier)) return "An ask needs the supplier's wallet.";
        if (string.IsNullOrWhiteSpace(c.GpuModel)) return "An ask needs the device's GPU model.";
        if (string.IsNullOrWhiteSpace(c.GpuClass)) return "An ask needs the GPU model's class.";
        if (c.GpuCount is < 1 or > MarketLimits.MaxGpusPerDevice)
            return $"A device has 1 to {MarketLimits.MaxGpusPerDevice} GPUs, not {c.GpuCount}.";
        if (c.Country is null || CountrySet.IndexOfAnyCase(c.Country) < 0)
            return $"Country '{c.Country}' is not an ISO 3166 alpha-2 code.";
        if (c.Connectivity is < ConnectivityTier.Low or > ConnectivityTier.Ultra)
            return $"Unknown connectivity tier {c.Connectivity}.";
        if (c.Security is < SecurityTier.Standard or > SecurityTier.Soc2) return $"Unknown security tier {c.Security}.";
        if (c.PricePerGpuHour is 0 or > MarketLimits.MaxPricePerGpuHour)
            return $"The price per GPU-hour must be 1 to {MarketLimits.MaxPricePerGpuHour} micro-USD.";
        if (c.MinHours < 1 || c.MaxHours < c.MinHours || c.MaxHours > MarketLimits.MaxHours)
            return $"Hours must satisfy 1 <= min <= max <= {MarketLimits.MaxHours}; got {c.MinHours}..{c.MaxHours}.";
        if (c.AvailableUntil < c.Now.AddHours(c.MinHours))
            return "The device must be available for at least the minimum hours from now.";
        if (c.AcceptedCurrencies == PaymentCurrencies.None || (c.AcceptedCurrencies & ~PaymentCurrencies.All) != 0)
            return "An ask must accept at least one known currency.";
        return null;
    }

    private static string? ValidateBid(PlaceBid c)
    {
        if (c.BidId == Guid.Empty) return "A bid needs an id.";
        if (string.IsNullOrWhiteSpace(c.Buyer)) return "A bid needs the buyer's wallet.";
        if (string.IsNullOrWhiteSpace(c.GpuModel) == string.IsNullOrWhiteSpace(c.GpuClass))
            return "A bid names either a GPU model or a GPU class, not both and not neither.";
        if (c.GpuCount is < 1 or > MarketLimits.MaxGpusPerBid)
            return $"A bid asks for 1 to {MarketLimits.MaxGpusPerBid} GPUs, not {c.GpuCount}.";
        if (c.MaxPricePerGpuHour is 0 or > MarketLimits.MaxPricePerGpuHour)
            return $"The maximum price per GPU-hour must be 1 to {MarketLimits.MaxPricePerGpuHour} micro-USD.";
        if (c.Hours is < 1 or > MarketLimits.MaxHours) return $"A rental lasts 1 to {MarketLimits.MaxHours} hours.";
        if (c.AllowedCountries is null) return "Allowed countries must be a list (empty for anywhere).";
        if (c.AllowedCountries.Count > MarketLimits.MaxAllowedCountries)
            return $"A bid lists at most {MarketLimits.MaxAllowedCountries} countries.";
        foreach (var code in c.AllowedCountries)
            if (code is null || CountrySet.IndexOfAnyCase(code) < 0)
                return $"Country '{code}' is not an ISO 3166 alpha-2 code.";
        if (c.MinConnectivity is < ConnectivityTier.Low or > ConnectivityTier.Ultra)
            return $"Unknown connectivity tier {c.MinConnectivity}.";
        if (c.MinSecurity is < SecurityTier.Standard or > SecurityTier.Soc2)
            return $"Unknown security tier {c.MinSecurity}.";
        if (c.Currency is not (PaymentCurrencies.Usdc or PaymentCurrencies.Iosd or PaymentCurrencies.Io))
            return "A bid pays in exactly one currency: Usdc, Iosd or Io.";
        if (c.ExpiresAt <= c.Now) return "A bid must expire after now.";
        return null;
    }

    /// <summary>Upper case, sorted, without repeats: one spelling per set, so journals and snapshots compare.</summary>
    private static string[] CanonicalCountries(IReadOnlyList<string> codes)
    {
        if (codes.Count == 0) return [];
        var result = new string[codes.Count];
        for (var i = 0; i < result.Length; i++) result[i] = CountrySet.Canonical(codes[i]);
        Array.Sort(result, StringComparer.Ordinal);
        var n = 1;
        for (var i = 1; i < result.Length; i++)
            if (result[i] != result[n - 1]) result[n++] = result[i];
        return n == result.Length ? result : result[..n];
    }
}
