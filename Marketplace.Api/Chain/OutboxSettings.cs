namespace IoNet.Marketplace.Chain;

/// <summary>Marketplace:Outbox — how the transaction outbox's processor works through its intents.</summary>
public sealed class OutboxSettings
{
    public const string Section = "Marketplace:Outbox";

    /// <summary>Whether this replica processes intents (every replica may; one works on an intent at a time).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often due intents are looked for (an intent enqueued by this replica wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a sent transaction is left before the same bytes are sent again (while its blockhash is valid).</summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait after a failure (the wait doubles with each attempt up to this).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Intents looked at per pass.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// Crash tests only: "stored" or "sent" makes the processor stop right after that step of its first intent, print
    /// <c>outbox paused after STEP: KEY SIGNATURE</c> on stdout and wait there forever, so a test can kill -9 the process
    /// at exactly that point. Never set it in a deployment.
    /// </summary>
    public string? PauseAfter { get; set; }
}
