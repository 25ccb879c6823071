using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc;

/// <summary>slotNotification.</summary>
public sealed class SlotInfo
{
    [JsonPropertyName("slot")] public ulong Slot { get; set; }

    [JsonPropertyName("parent")] public ulong Parent { get; set; }

    [JsonPropertyName("root")] public ulong Root { get; set; }
}

/// <summary>logsNotification's value: one transaction that mentioned the address.</summary>
public sealed class LogsNotification
{
    [JsonPropertyName("signature")] public string Signature { get; set; } = "";

    [JsonPropertyName("err")] public TransactionError? Err { get; set; }

    [JsonPropertyName("logs")] public IReadOnlyList<string>? Logs { get; set; }
}

/// <summary>signatureNotification's value: the transaction reached the commitment; Err is null on success.</summary>
public sealed class SignatureNotification
{
    [JsonPropertyName("err")] public TransactionError? Err { get; set; }
}

/// <summary>Slots the stream may have missed while reconnecting: backfill (LastSlotBefore, FirstSlotAfter) by polling.</summary>
public sealed record StreamGap(ulong? LastSlotBefore, ulong FirstSlotAfter, DateTimeOffset ReconnectedAt);

public sealed record SolanaStreamingClientOptions
{
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a subscribe call waits for the node's answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The largest websocket message read from the node. A longer one closes the connection (status 1009, message too
    /// big) and fails every subscription with <see cref="RpcErrorKind.ResponseTooLarge"/> instead of being buffered.
    /// 16 MiB by default: slot, signature and logs notifications are bytes to tens of KiB (a validator truncates a
    /// transaction's logs at 10 KB), and even a block notification with full transactions stays within a few MiB.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;
}
