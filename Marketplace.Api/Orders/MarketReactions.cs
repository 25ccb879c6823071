using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Matching;
using IoNet.Marketplace.Quotes;
using IoNet.Marketplace.Rentals;
using Marten;

namespace IoNet.Marketplace.Orders;

/// <summary>
/// What journaled market events cause, appended in the same transaction as the journal: a fill starts its rental's
/// stream (RentalMatched, with the amount due), and hired devices become Hired, released ones Idle again.
/// </summary>
internal sealed class MarketReactions(IDocumentSession session, TimeSpan paymentWindow)
{
    private readonly List<RentalMatched> _rentals = [];
    private readonly List<(Guid Device, bool Hired, string Reason, DateTimeOffset At)> _statuses = [];

    /// <summary>Call right after the fill was decided, while the engine still holds its asks.</summary>
    public void Filled(BidFilled filled, OrderBookEngine engine, ulong? ioRate)
    {
        var devices = filled.Devices.Select(d =>
        {
            var ask = engine.FindAsk(d.AskId) ?? throw new InvalidOperationException($"Ask {d.AskId:N} of fill {filled.BidId:N} is not in the book.");
            return new RentalDevice(d.AskId, d.DeviceId, d.Supplier, d.GpuModel, d.GpuCount, d.PricePerGpuHour, ask.MaxHours, ask.AvailableUntil);
        }).ToList();
        var price = RentalPrice.Of(filled.TotalPerHour, filled.Hours, filled.Currency, ioRate);
        _rentals.Add(RentalDecisions.Match(filled, devices, price, filled.At + paymentWindow));
        foreach (var d in filled.Devices)
            _statuses.Add((d.DeviceId, true, $"hired for rental {filled.RentalId:N}", filled.At));
    }

    public void Released(DevicesReleased released)
    {
        foreach (var device in released.DeviceIds)
            _statuses.Add((device, false, $"released from rental {released.RentalId:N}", released.At));
    }

    public async Task AppendAsync(CancellationToken ct)
    {
        foreach (var rental in _rentals)
            session.Events.StartStream<Rental>(Rental.StreamKey(rental.Rental), rental);
        if (_statuses.Count == 0)
            return;
        var loaded = await session.LoadManyAsync<Device>(ct, _statuses.Select(s => Device.StreamKey(s.Device)).Distinct().ToArray());
        var status = loaded.ToDictionary(d => d.DeviceId, d => d.Status);
        foreach (var (device, hired, reason, at) in _statuses)
        {
            if (!status.TryGetValue(device, out var from))
                continue;
            // Hired from Idle, Idle from Hired: a device an operator took down meanwhile keeps that status.
            var to = hired ? (from == DeviceStatus.Idle ? DeviceStatus.Hired : from) : (from == DeviceStatus.Hired ? DeviceStatus.Idle : from);
            if (to == from)
                continue;
            session.Events.Append(Device.StreamKey(device), new DeviceStatusChanged(device, from, to, reason, "market", at));
            status[device] = to;
        }
    }
}
