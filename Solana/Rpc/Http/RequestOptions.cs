namespace IoNet.Solana.Rpc;

/// <summary>How account data should come back.</summary>
public enum AccountEncoding
{
    Base64,
    JsonParsed,
}

/// <summary>getSignaturesForAddress paging: newest first, older than <see cref="Before"/>, newer than <see cref="Until"/>.</summary>
public sealed record SignaturesForAddressOptions
{
    public string? Before { get; init; }

    public string? Until { get; init; }

    /// <summary>1 to 1000 (node default 1000).</summary>
    public int? Limit { get; init; }

    public Commitment? Commitment { get; init; }

    public ulong? MinContextSlot { get; init; }
}

/// <summary>sendTransaction's options.</summary>
public sealed record SendTransactionOptions
{
    public bool SkipPreflight { get; init; }

    public Commitment? PreflightCommitment { get; init; }

    /// <summary>How often the node itself re-sends; null leaves it to the node.</summary>
    public int? MaxRetries { get; init; }

    public ulong? MinContextSlot { get; init; }
}

/// <summary>simulateTransaction's options.</summary>
public sealed record SimulateTransactionOptions
{
    public bool SigVerify { get; init; }

    public bool ReplaceRecentBlockhash { get; init; }

    public Commitment? Commitment { get; init; }

    public bool InnerInstructions { get; init; }
}
