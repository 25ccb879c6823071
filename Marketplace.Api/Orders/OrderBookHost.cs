using System.Threading.Channels;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Store;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Pricing;
using IoNet.Marketplace.Quotes;
using IoNet.Marketplace.Rentals;
using Marten;
using Npgsql;

namespace IoNet.Marketplace.Orders;

/// <summary>
/// Owns the order book: the pure <see cref="OrderBookEngine"/>, fed by one queue and decided on one thread. Every
/// accepted command's events are appended to ONE journal stream (<see cref="LedgerStore.MarketJournalStream"/>) with
/// the version the engine expects, together with what they cause (a fill's rental, the devices' Hired/Idle status) in
/// one database transaction. At start the book is rebuilt from the journal.
/// </summary>
/// <remarks>
/// Several replicas share one book. Before deciding a batch a replica takes a PostgreSQL advisory lock (one per
/// store schema) and catches up from the journal (Apply), so replicas decide one after another on the same book; the
/// expected version makes a fork impossible even without the lock. Should an append fail anyway (a conflict, the
/// database gone), the engine may hold events the journal does not: it is rebuilt from the journal and the batch is
/// decided again.
/// </remarks>
public sealed class OrderBookHost : BackgroundService
{
    private readonly Channel<Work> _queue;
    private readonly IDocumentStore _store;
    private readonly MarketplaceDatabase _database;
    private readonly HardwareCatalogue _catalogue;
    private readonly IDeviceEligibility _eligibility;
    private readonly IUsdRateSource _rates;
    private readonly MarketSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<OrderBookHost> _log;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _lockKey;
    private OrderBookEngine _engine = new();
    private long _version;
    private DateTimeOffset _lastNow = DateTimeOffset.MinValue;
    private NpgsqlConnection? _lockConnection;

    public OrderBookHost(
        IDocumentStore store, MarketplaceDatabase database, MarketplaceSettings marketplace, HardwareCatalogue catalogue,
        IDeviceEligibility eligibility, IUsdRateSource rates, MarketSettings settings, TimeProvider clock, ILogger<OrderBookHost> log)
    {
        _store = store;
        _database = database;
        _catalogue = catalogue;
        _eligibility = eligibility;
        _rates = rates;
        _settings = settings;
        _clock = clock;
        _log = log;
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(Math.Max(1, settings.QueueCapacity)) { SingleReader = true });
        _lockKey = LockKey(marketplace.Schema);
    }

    /// <summary>The journal's version the book stands at (events applied).</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Completes once the book has been rebuilt from the journal.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Queues an input and waits until it was decided (and, if accepted, journaled).</summary>
    public async Task<MarketOutcome> SendAsync(MarketInput input, CancellationToken cancellationToken = default)
    {
        var work = new Work(input);
        await _queue.Writer.WriteAsync(work, cancellationToken);
        return await work.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Reads the book in queue order, after catching up with the journal.</summary>
    public async Task<T> QueryAsync<T>(Func<OrderBookEngine, DateTimeOffset, T> query, CancellationToken cancellationToken = default)
    {
        var outcome = await SendAsync(new QueryInput((engine, now) => query(engine, now)), cancellationToken);
        return (T)outcome.Answer!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RebuildUntilDoneAsync(stoppingToken);
        var batch = new List<Work>(_settings.BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _settings.BatchSize && _queue.Reader.TryRead(out var work))
                    batch.Add(work);
                await DecideAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
                left.Done.TrySetCanceled(stoppingToken);
            if (_lockConnection is not null)
                await _lockConnection.DisposeAsync();
        }
    }

    private async Task RebuildUntilDoneAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await RebuildAsync(stoppingToken);
                _ready.TrySetResult();
                _log.LogInformation("Order book rebuilt from {Events} journal events", _version);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may not be up yet: the API answers /health meanwhile and orders wait.
                _log.LogWarning("Rebuilding the order book failed (attempt {Attempt}): {Error}", attempt + 1, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, 1 + attempt)), _clock, stoppingToken);
            }
        }
    }

    private async Task RebuildAsync(CancellationToken ct)
    {
        await using var session = _store.QuerySession();
        var events = await session.Events.FetchStreamAsync(LedgerStore.MarketJournalStream, token: ct);
        var engine = new OrderBookEngine();
        foreach (var e in events)
            Evolve(engine, (IMarketEvent)e.Data);
        _engine = engine;
        Volatile.Write(ref _version, events.Count == 0 ? 0 : events[^1].Version);
    }

    private void Evolve(OrderBookEngine engine, IMarketEvent e)
    {
        engine.Apply(e);
        if (e.At > _lastNow)
            _lastNow = e.At;
    }

    /// <summary>Applies what other replicas journaled since this book's version.</summary>
    private async Task CatchUpAsync(IQuerySession session, CancellationToken ct)
    {
        var state = await session.Events.FetchStreamStateAsync(LedgerStore.MarketJournalStream, ct);
        if (state is null || state.Version <= _version)
            return;
        var events = await session.Events.FetchStreamAsync(LedgerStore.MarketJournalStream, fromVersion: _version + 1, token: ct);
        foreach (var e in events)
        {
            if (e.Version != _version + 1)
                throw new InvalidOperationException($"The market journal skipped from version {_version} to {e.Version}.");
            Evolve(_engine, (IMarketEvent)e.Data);
            Volatile.Write(ref _version, e.Version);
        }
    }

    private async Task DecideAsync(List<Work> batch, CancellationToken stoppingToken)
    {
        var writes = batch.Exists(w => w.Input is not QueryInput);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (writes)
                    await LockAsync(stoppingToken);
                try
                {
                    await DecideOnceAsync(batch, stoppingToken);
                }
                finally
                {
                    if (writes)
                        await UnlockAsync();
                }
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _log.LogWarning("Deciding {Count} market inputs failed (attempt {Attempt}); rebuilding the book from the journal: {Error}",
                    batch.Count, attempt, e.Message);
                await DropLockConnectionAsync();
                try
                {
                    await RebuildAsync(stoppingToken);
                }
                catch (Exception rebuild) when (rebuild is not OperationCanceledException)
                {
                    _log.LogWarning("Rebuilding the order book failed: {Error}", rebuild.Message);
                }
                if (attempt == 3)
                {
                    foreach (var work in batch)
                        work.Done.TrySetException(new MarketUnavailableException("The order book could not journal the request; retry it.", e));
                    return;
                }
            }
        }
    }

    private async Task DecideOnceAsync(List<Work> batch, CancellationToken ct)
    {
        await using var session = _store.LightweightSession();
        await CatchUpAsync(session, ct);

        var devices = await DevicesAsync(session, batch, ct);
        ulong? ioRate = null;
        var outcomes = new MarketOutcome[batch.Count];
        var journal = new List<IMarketEvent>();
        var reactions = new MarketReactions(session, _settings.PaymentWindow);
        for (var i = 0; i < batch.Count; i++)
        {
            var now = Now();
            var outcome = batch[i].Input switch
            {
                QueryInput q => new MarketOutcome(default, q.Query(_engine, now)),
                EngineInput e => new MarketOutcome(_engine.Handle(WithNow(e.Command, now))),
                AskInput a => new MarketOutcome(Ask(a, devices, now), _engine.FindAsk(a.AskId)),
                BidInput b => new MarketOutcome(_engine.Handle(new PlaceBid(
                    b.BidId, b.Buyer, b.GpuModel, b.GpuClass, b.GpuCount, b.MaxPricePerGpuHour, b.Hours, b.AllowedCountries,
                    b.MinConnectivity, b.MinSecurity, b.SingleSupplier, b.Currency, now + b.ExpiresIn, now)), _engine.FindBid(b.BidId)),
                RefreshDeviceInput r => new MarketOutcome(Refresh(r.DeviceId, devices, now)),
                _ => throw new InvalidOperationException($"Unknown market input {batch[i].Input.GetType().Name}."),
            };
            outcomes[i] = outcome;
            if (outcome.Result.Events is not { Count: > 0 } events)
                continue;
            journal.AddRange(events);
            foreach (var e in events)
            {
                if (e is BidFilled filled)
                {
                    ioRate ??= filled.Currency == PaymentCurrencies.Io ? await _rates.MicroUsdPerIoAsync(ct) : null;
                    reactions.Filled(filled, _engine, filled.Currency == PaymentCurrencies.Io ? ioRate : null);
                }
                else if (e is DevicesReleased released)
                {
                    reactions.Released(released);
                }
            }
        }

        if (journal.Count > 0)
        {
            if (_version == 0)
                session.Events.StartStream(LedgerStore.MarketJournalStream, journal.ToArray());
            else
                session.Events.Append(LedgerStore.MarketJournalStream, _version + journal.Count, journal.ToArray());
            await reactions.AppendAsync(ct);
            await session.SaveChangesAsync(ct);
            Volatile.Write(ref _version, _version + journal.Count);
        }
        for (var i = 0; i < batch.Count; i++)
            batch[i].Done.TrySetResult(outcomes[i]);
    }

    /// <summary>The devices the batch's asks and refreshes name, as the Device read model holds them now, and whether each may be hired.</summary>
    private async Task<Dictionary<Guid, DeviceFacts>> DevicesAsync(IQuerySession session, List<Work> batch, CancellationToken ct)
    {
        var keys = batch.Select(w => w.Input switch
        {
            AskInput a => Device.StreamKey(a.DeviceId),
            RefreshDeviceInput r => Device.StreamKey(r.DeviceId),
            _ => null,
        }).OfType<string>().Distinct().ToArray();
        if (keys.Length == 0)
            return [];
        var found = await session.LoadManyAsync<Device>(ct, keys);
        var now = _clock.GetUtcNow();
        var facts = new Dictionary<Guid, DeviceFacts>(found.Count);
        foreach (var device in found)
            facts[device.DeviceId] = new DeviceFacts(device, Hireable(device, await _eligibility.CheckAsync(device, now, ct)));
        return facts;
    }

    private sealed record DeviceFacts(Device Device, bool Hireable);

    private CommandResult Ask(AskInput a, Dictionary<Guid, DeviceFacts> devices, DateTimeOffset now)
    {
        if (!devices.TryGetValue(a.DeviceId, out var facts))
            return CommandResult.Refuse(RejectionCode.NotFound, $"No device {a.DeviceId} is registered.");
        var device = facts.Device;
        if (device.Owner != a.Wallet)
            return CommandResult.Refuse(RejectionCode.NotOwner, "Only the wallet that registered the device may offer it.");
        if (device.GpuModel is null || _catalogue.Gpu(device.GpuModel) is not { } gpu)
            return CommandResult.Refuse(RejectionCode.Invalid, "A CPU-only device cannot be offered for GPU rentals.");
        return _engine.Handle(new PlaceAsk(
            a.AskId, a.DeviceId, device.Owner, gpu.Id, gpu.Class, device.GpuCount, device.Country, device.Connectivity,
            device.Security, facts.Hireable, a.PricePerGpuHour, a.MinHours, a.MaxHours, a.AvailableUntil,
            a.AcceptedCurrencies, now));
    }

    private CommandResult Refresh(Guid deviceId, Dictionary<Guid, DeviceFacts> devices, DateTimeOffset now) =>
        devices.TryGetValue(deviceId, out var facts)
            ? _engine.Handle(new ChangeDeviceEligibility(deviceId, facts.Hireable, now))
            : CommandResult.Refuse(RejectionCode.NotFound, $"No device {deviceId} is registered.");

    /// <summary>
    /// Whether the book may match a device: eligible (IDeviceEligibility) and in service (Idle, or Hired: a hired
    /// device's ask is matched again once released). Paused, Down, Failed, Inactive devices wait in the book unmatched.
    /// </summary>
    public static bool Hireable(Device device, Eligibility eligibility) =>
        eligibility.IsEligible && device.Status is DeviceStatus.Idle or DeviceStatus.Hired;

    /// <summary>The host's clock, never going back (nor behind the journal's latest event).</summary>
    private DateTimeOffset Now()
    {
        var now = _clock.GetUtcNow();
        if (now < _lastNow)
            now = _lastNow;
        _lastNow = now;
        return now;
    }

    private static IMarketCommand WithNow(IMarketCommand command, DateTimeOffset now) => command switch
    {
        CancelOrder c => c with { Now = now },
        ReleaseDevices c => c with { Now = now },
        AdvanceClock c => c with { Now = now },
        ChangeDeviceEligibility c => c with { Now = now },
        PlaceAsk c => c with { Now = now },
        PlaceBid c => c with { Now = now },
        _ => command,
    };

    private async Task LockAsync(CancellationToken ct)
    {
        if (_lockConnection is null)
            _lockConnection = await _database.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", _lockConnection);
        command.Parameters.AddWithValue("k", _lockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task UnlockAsync()
    {
        if (_lockConnection is null)
            return;
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", _lockConnection);
        command.Parameters.AddWithValue("k", _lockKey);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task DropLockConnectionAsync()
    {
        if (_lockConnection is null)
            return;
        try
        {
            await _lockConnection.DisposeAsync();
        }
        catch (NpgsqlException)
        {
        }
        _lockConnection = null;
    }

    /// <summary>One advisory lock key per store schema, so stores in other schemas (tests, benchmarks) never wait on each other.</summary>
    private static long LockKey(string schema)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("ionet-market-book:" + schema));
        return BitConverter.ToInt64(hash, 0);
    }

    private sealed class Work(MarketInput input)
    {
        public MarketInput Input { get; } = input;

        public TaskCompletionSource<MarketOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The order book could not journal a request (the database is away); nothing was decided.</summary>
public sealed class MarketUnavailableException(string message, Exception inner) : Exception(message, inner);
