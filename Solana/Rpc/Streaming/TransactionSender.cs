namespace IoNet.Solana.Rpc;

public enum ConfirmationOutcome
{
    /// <summary>Reached the commitment without error.</summary>
    Confirmed,
    /// <summary>Landed but failed: see Err (the fee was still charged).</summary>
    Failed,
    /// <summary>The block height passed lastValidBlockHeight without the transaction landing: it never will.</summary>
    Expired,
}

public sealed record TransactionConfirmation(string Signature, ConfirmationOutcome Outcome, ulong? Slot, TransactionError? Err, bool ViaWebsocket);

public sealed record TransactionSenderOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public SendTransactionOptions? Send { get; init; }
}

/// <summary>
/// Send-and-confirm: sendTransaction, then wait for signatureSubscribe with getSignatureStatuses polling as the
/// fallback, and stop with Expired once getBlockHeight passes the blockhash's lastValidBlockHeight.
/// </summary>
public sealed class TransactionSender(SolanaRpcClient rpc, SolanaStreamingClient? streaming = null, TransactionSenderOptions? options = null)
{
    private readonly TransactionSenderOptions _options = options ?? new TransactionSenderOptions();

    public async Task<TransactionConfirmation> SendAndConfirmAsync(byte[] signedTransaction, ulong lastValidBlockHeight,
        Commitment commitment = Commitment.Confirmed, CancellationToken cancellationToken = default)
    {
        var expected = FirstSignature(signedTransaction);
        StreamSubscription<RpcResponse<SignatureNotification>>? subscription = null;
        if (streaming is not null)
        {
            try
            {
                subscription = await streaming.SignatureSubscribeAsync(expected, commitment, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException)
            {
                subscription = null; // no websocket: polling alone
            }
        }
        try
        {
            var signature = await rpc.SendTransactionAsync(signedTransaction, _options.Send, cancellationToken).ConfigureAwait(false);
            var notified = subscription?.ReadAsync(cancellationToken).AsTask();
            while (true)
            {
                var statuses = await rpc.GetSignatureStatusesAsync([signature], false, cancellationToken).ConfigureAwait(false);
                if (statuses.Value.Count > 0 && statuses.Value[0] is { } status && Reached(status.ConfirmationStatus, commitment))
                    return new(signature, status.Err is null ? ConfirmationOutcome.Confirmed : ConfirmationOutcome.Failed, status.Slot, status.Err, false);
                var height = await rpc.GetBlockHeightAsync(commitment, cancellationToken).ConfigureAwait(false);
                if (height > lastValidBlockHeight)
                    return new(signature, ConfirmationOutcome.Expired, null, null, false);
                var wait = Task.Delay(_options.PollInterval, cancellationToken);
                if (notified is not null && await Task.WhenAny(notified, wait).ConfigureAwait(false) == notified)
                {
                    if (notified.IsCompletedSuccessfully)
                    {
                        var n = notified.Result;
                        return new(signature, n.Value.Err is null ? ConfirmationOutcome.Confirmed : ConfirmationOutcome.Failed, n.Context.Slot, n.Value.Err, true);
                    }
                    notified = null; // the stream ended: keep polling
                }
                else
                {
                    await wait.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (subscription is not null)
                await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool Reached(Commitment? status, Commitment wanted) => status is { } s && s >= wanted;

    /// <summary>The transaction id: its first signature, in base58.</summary>
    public static string FirstSignature(byte[] signedTransaction)
    {
        if (signedTransaction is not { Length: >= 65 } || signedTransaction[0] is 0 or >= 0x80)
            throw new SolanaException("A signed transaction starts with a signature count (1 to 127) and 64-byte signatures.");
        return SimpleBase.Base58.Bitcoin.Encode(signedTransaction.AsSpan(1, 64));
    }
}
