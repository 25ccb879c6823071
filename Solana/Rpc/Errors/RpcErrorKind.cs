namespace IoNet.Solana.Rpc;

/// <summary>What went wrong with an RPC call; JSON-RPC codes in the comments.</summary>
public enum RpcErrorKind
{
    /// <summary>Any JSON-RPC error code not listed below.</summary>
    Other,
    /// <summary>-32001</summary>
    BlockCleanedUp,
    /// <summary>-32002: preflight simulation failed; carries the simulation's err and logs.</summary>
    PreflightFailure,
    /// <summary>-32003</summary>
    SignatureVerificationFailure,
    /// <summary>-32004</summary>
    BlockNotAvailable,
    /// <summary>-32005: node is behind; transient.</summary>
    NodeUnhealthy,
    /// <summary>-32006</summary>
    PrecompileVerificationFailure,
    /// <summary>-32007: slot skipped or missing due to a ledger jump.</summary>
    SlotSkipped,
    /// <summary>-32008</summary>
    NoSnapshot,
    /// <summary>-32009: slot missing in long-term storage.</summary>
    LongTermStorageSlotSkipped,
    /// <summary>-32010</summary>
    KeyExcludedFromSecondaryIndex,
    /// <summary>-32011</summary>
    TransactionHistoryNotAvailable,
    /// <summary>-32013</summary>
    TransactionSignatureLengthMismatch,
    /// <summary>-32014</summary>
    BlockStatusNotAvailableYet,
    /// <summary>-32015: ask with maxSupportedTransactionVersion.</summary>
    UnsupportedTransactionVersion,
    /// <summary>-32016: the node has not reached minContextSlot yet; transient.</summary>
    MinContextSlotNotReached,
    /// <summary>-32600 / -32601 / -32602 / -32700</summary>
    InvalidRequest,
    /// <summary>-32603</summary>
    InternalError,
    /// <summary>HTTP 429.</summary>
    RateLimited,
    /// <summary>Any other non-success HTTP status.</summary>
    HttpStatus,
    /// <summary>The per-request timeout elapsed.</summary>
    Timeout,
    /// <summary>Connection refused, reset or closed mid-response.</summary>
    Transport,
    /// <summary>The response was not the JSON we expect.</summary>
    MalformedResponse,
    /// <summary>The response (or websocket message) was larger than the client's cap.</summary>
    ResponseTooLarge,
}
