namespace IoNet.Marketplace.Pricing;

/// <summary>
/// Where the IO/USD rate comes from: integer micro-USD per whole IO (docs/onchain.md, "Amounts"). A deployment puts an
/// oracle or an exchange feed behind it; localnet and tests use <see cref="ConfiguredUsdRate"/>.
/// </summary>
public interface IUsdRateSource
{
    ValueTask<ulong> MicroUsdPerIoAsync(CancellationToken cancellationToken);
}

/// <summary>Marketplace:Rates — the fixed IO/USD rate of a localnet or a test.</summary>
public sealed class RateSettings
{
    public const string Section = "Marketplace:Rates";

    /// <summary>micro-USD per whole IO (800000 = 0.80 USD).</summary>
    public ulong IoMicroUsd { get; set; } = 800_000;
}

/// <summary>The rate from configuration (Marketplace:Rates:IoMicroUsd), checked once at start.</summary>
public sealed class ConfiguredUsdRate : IUsdRateSource
{
    private readonly ulong _rate;

    public ConfiguredUsdRate(RateSettings settings)
    {
        _rate = settings.IoMicroUsd > 0 ? settings.IoMicroUsd
            : throw new InvalidOperationException($"{RateSettings.Section}:IoMicroUsd must be a positive number of micro-USD per IO.");
    }

    public ValueTask<ulong> MicroUsdPerIoAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_rate);
}
