namespace IoNet.TestSupport;

/// <summary>What a <see cref="FaultProxy"/> can inject.</summary>
public enum FaultKind
{
    /// <summary>HTTP 429 with Retry-After (<see cref="FaultProxy.RetryAfter"/>, whole seconds); not forwarded.</summary>
    TooManyRequests,
    /// <summary>HTTP 500; not forwarded.</summary>
    InternalServerError,
    /// <summary>HTTP 503; not forwarded.</summary>
    ServiceUnavailable,
    /// <summary>Holds the request for <see cref="FaultProxy.HoldFor"/> (longer than the client's timeout), then drops the connection.</summary>
    Timeout,
    /// <summary>Aborts the connection before any response (HttpContext.Abort()).</summary>
    ResetBeforeResponse,
    /// <summary>Forwards, then sends the headers and half of the upstream body (full Content-Length) and aborts.</summary>
    ResetMidBody,
    /// <summary>A lagging node that does not know the <c>until</c> signature: removes <c>until</c> from a getSignaturesForAddress (per batch item).</summary>
    UnknownUntil,
    /// <summary>Answers a getTransaction (per batch item; see <see cref="FaultProxy.Set"/> methods) with -32004 "Block not available for slot N".</summary>
    BlockNotAvailable,
    /// <summary>Answers a getTransaction (per batch item) with -32007 "Slot N was skipped, or missing due to ledger jump to recent snapshot".</summary>
    SlotSkipped,
    /// <summary>Closes a websocket abruptly (no close handshake) instead of relaying an upstream message; see also <see cref="FaultProxy.DropWebsocketAfterMessages"/>.</summary>
    WebsocketDrop,
    /// <summary>Does not relay one upstream websocket notification (e.g. slotNotification); the connection stays.</summary>
    NotificationDrop,
    /// <summary>
    /// A getTransaction answer for a signature given to <see cref="FaultProxy.Corrupt"/> comes back malformed (json: its
    /// first instruction names program index 255; base64: the wire bytes lose their last three bytes).
    /// </summary>
    CorruptTransaction,
}
