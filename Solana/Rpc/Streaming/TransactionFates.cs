namespace IoNet.Solana.Rpc;

/// <summary>What became of a signed transaction, as far as the node can tell.</summary>
public enum TransactionFate
{
    /// <summary>It landed and succeeded.</summary>
    Landed,

    /// <summary>It landed and failed: it moved nothing but its fee, and its signature can never land again.</summary>
    Failed,

    /// <summary>Not seen yet, and its blockhash is still valid: it may still land. Send the same bytes again.</summary>
    InFlight,

    /// <summary>Not landed, and the block height passed its last valid block height: it never will.</summary>
    Expired,
}

/// <summary>One answer of <see cref="TransactionFates.CheckAsync"/>.</summary>
public sealed record TransactionFateReport(
    string Signature, TransactionFate Fate, ulong BlockHeight, ulong LastValidBlockHeight, ulong? Slot, TransactionError? Err, Commitment? ConfirmationStatus);

/// <summary>
/// Whether a sent (or maybe sent) transaction landed, may still land, or never will — the question a sender must
/// answer before it may build a new transaction for the same purpose without paying twice.
/// </summary>
public static class TransactionFates
{
    /// <summary>
    /// Reads the block height first (at <paramref name="heightCommitment"/>, finalized by default), then the
    /// signature's status with searchTransactionHistory. In that order a transaction that lands between the two reads
    /// is seen as landed; the other order could report Expired for a transaction that landed in between. Expired means:
    /// the node has no status for it, and no block above <paramref name="lastValidBlockHeight"/> can include it.
    /// </summary>
    public static async Task<TransactionFateReport> CheckAsync(
        this SolanaRpcClient rpc, string signature, ulong lastValidBlockHeight, Commitment heightCommitment = Commitment.Finalized,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var height = await rpc.GetBlockHeightAsync(heightCommitment, cancellationToken).ConfigureAwait(false);
        var statuses = await rpc.GetSignatureStatusesAsync([signature], searchTransactionHistory: true, cancellationToken).ConfigureAwait(false);
        if (statuses.Value.Count != 1)
            throw new RpcException(RpcErrorKind.MalformedResponse, $"getSignatureStatuses answered {statuses.Value.Count} statuses for 1 signature.", method: "getSignatureStatuses");
        var fate = statuses.Value[0] switch
        {
            { Err: null } => TransactionFate.Landed,
            { } => TransactionFate.Failed,
            null when height > lastValidBlockHeight => TransactionFate.Expired,
            null => TransactionFate.InFlight,
        };
        var status = statuses.Value[0];
        return new TransactionFateReport(signature, fate, height, lastValidBlockHeight, status?.Slot, status?.Err, status?.ConfirmationStatus);
    }

    /// <summary>
    /// True when sendTransaction refused the bytes because the node already processed them (preflight
    /// "AlreadyProcessed"): sending the same transaction again after it landed is not an error for the sender.
    /// </summary>
    public static bool IsAlreadyProcessed(RpcException exception) =>
        exception is RpcPreflightFailureException { Err.Name: "AlreadyProcessed" };
}
