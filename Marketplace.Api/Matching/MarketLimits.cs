namespace IoNet.Marketplace.Matching;

/// <summary>The bounds the engine enforces on orders (commands outside them are rejected as invalid).</summary>
public static class MarketLimits
{
    /// <summary>The most GPUs one device may have (devices are hired whole).</summary>
    public const int MaxGpusPerDevice = 16;

    /// <summary>The most GPUs one bid may ask for.</summary>
    public const int MaxGpusPerBid = 64;

    /// <summary>The longest rental, in hours (a year).</summary>
    public const int MaxHours = 8760;

    /// <summary>The highest price per GPU-hour, micro-USD (USD 10,000): keeps every total far inside a ulong.</summary>
    public const ulong MaxPricePerGpuHour = 10_000_000_000;

    /// <summary>The most countries a bid may list.</summary>
    public const int MaxAllowedCountries = 64;
}
