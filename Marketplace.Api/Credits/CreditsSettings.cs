namespace IoNet.Marketplace.Credits;

/// <summary>Marketplace:Credits — the IOSD credits desk.</summary>
public sealed class CreditsSettings
{
    public const string Section = "Marketplace:Credits";

    /// <summary>How long a quote's rate holds: a burn that lands (block time) after this gets the current rate.</summary>
    public TimeSpan QuoteLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether this replica reacts to burns (the async daemon runs the desk on one replica at a time).</summary>
    public bool DeskEnabled { get; set; } = true;
}
