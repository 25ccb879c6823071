namespace IoNet.Marketplace.Quotes;

/// <summary>
/// Where the IO/USD rate comes from: integer micro-USD per whole IO (docs/onchain.md, "Amounts"). A deployment puts an
/// oracle or an exchange feed behind it; localnet and tests use <see cref="ConfiguredUsdRate"/>.
/// </summary>
public interface IUsdRateSource
{
    ValueTask<ulong> IoRateMicroUsdAsync(CancellationToken cancellationToken = default);
}

/// <summary>Marketplace:Rates — the fixed IO/USD rate of a localnet or a test.</summary>
public sealed class RateSettings
{
    public const string Section = "Marketplace:Rates";

    /// <summary>micro-USD per whole IO (800000 = 0.80 USD).</summary>
    public ulong IoMicroUsd { get; set; } = 800_000;
}

/// <summary>The rate from configuration (Marketplace:Rates:IoMicroUsd).</summary>
public sealed class ConfiguredUsdRate(RateSettings settings) : IUsdRateSource
{
    public ValueTask<ulong> IoRateMicroUsdAsync(CancellationToken cancellationToken = default) =>
        settings.IoMicroUsd > 0 ? ValueTask.FromResult(settings.IoMicroUsd)
        : throw new InvalidOperationException("Marketplace:Rates:IoMicroUsd must be a positive number of micro-USD per IO.");
}
