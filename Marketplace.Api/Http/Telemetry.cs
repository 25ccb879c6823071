using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IoNet.Marketplace.Http;

/// <summary>The marketplace's own counters; ASP.NET Core's, HttpClient's and Npgsql's come from their instrumentation.</summary>
public sealed class MarketplaceMetrics : IDisposable
{
    public const string Name = "IoNet.Marketplace";

    public static readonly ActivitySource Activities = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _signInsRefused;
    private readonly Counter<long> _devicesRegistered;

    public MarketplaceMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _signIns = _meter.CreateCounter<long>("ionet.marketplace.sign_ins", description: "Sign-In With Solana verifications that issued a token");
        _signInsRefused = _meter.CreateCounter<long>("ionet.marketplace.sign_ins_refused", description: "Sign-In With Solana verifications refused, by reason");
        _devicesRegistered = _meter.CreateCounter<long>("ionet.marketplace.devices_registered", description: "Devices registered");
    }

    public void SignedIn() => _signIns.Add(1);

    public void SignInRefused(string reason) => _signInsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void DeviceRegistered() => _devicesRegistered.Add(1);

    public void Dispose() => _meter.Dispose();
}

public static class Telemetry
{
    /// <summary>Traces (ASP.NET Core, HttpClient, Npgsql) and metrics, scraped at /metrics; OTLP too when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static IServiceCollection AddMarketplaceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddSingleton<MarketplaceMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ionet-marketplace"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(MarketplaceMetrics.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/metrics") && !c.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (otlp)
                    tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MarketplaceMetrics.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                    metrics.AddOtlpExporter();
            });
        return services;
    }
}
