using System.Diagnostics.Metrics;
using IoNet.Marketplace.Http;

namespace IoNet.Marketplace.Credits;

/// <summary>The desk's counters (meter IoNet.Marketplace, exported with the service's others).</summary>
public sealed class CreditsMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _quotes;
    private readonly Counter<long> _decided;
    private readonly Counter<long> _iosd;

    public CreditsMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MarketplaceMetrics.Name);
        _quotes = _meter.CreateCounter<long>("ionet.marketplace.credits.quotes", description: "Credit quotes given");
        _decided = _meter.CreateCounter<long>("ionet.marketplace.credits.burns_decided", description: "Credit purchases decided, by rate source (quote, current) or refused");
        _iosd = _meter.CreateCounter<long>("ionet.marketplace.credits.iosd_decided", unit: "{IOSD base unit}", description: "IOSD base units the desk decided to mint");
    }

    public void Quoted() => _quotes.Add(1);

    public void Decided(CreditsDecision decision)
    {
        var outcome = decision.Mints ? decision.Source?.ToString().ToLowerInvariant() ?? "current" : "refused";
        _decided.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (decision is { Mints: true, Iosd: { } iosd })
            _iosd.Add(checked((long)iosd));
    }

    public void Dispose() => _meter.Dispose();
}
