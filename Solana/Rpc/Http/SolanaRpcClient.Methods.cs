namespace IoNet.Solana.Rpc;

public sealed partial class SolanaRpcClient
{
    public Task<ulong> GetSlotAsync(Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetSlot(commitment), cancellationToken);

    public Task<ulong> GetBlockHeightAsync(Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetBlockHeight(commitment), cancellationToken);

    public Task<RpcResponse<LatestBlockhash>> GetLatestBlockhashAsync(Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetLatestBlockhash(commitment), cancellationToken);

    public Task<RpcResponse<bool>> IsBlockhashValidAsync(string blockhash, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.IsBlockhashValid(blockhash, commitment), cancellationToken);

    public Task<Block?> GetBlockAsync(ulong slot, TransactionEncoding encoding = TransactionEncoding.Json, bool rewards = true, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetBlock(slot, encoding, rewards, commitment), cancellationToken);

    public Task<IReadOnlyList<ulong>> GetBlocksAsync(ulong startSlot, ulong? endSlot = null, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetBlocks(startSlot, endSlot, commitment), cancellationToken);

    public Task<TransactionResponse?> GetTransactionAsync(string signature, TransactionEncoding encoding = TransactionEncoding.Json, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetTransaction(signature, encoding, commitment), cancellationToken);

    public Task<IReadOnlyList<SignatureInfo>> GetSignaturesForAddressAsync(string address, SignaturesForAddressOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetSignaturesForAddress(address, options), cancellationToken);

    public Task<RpcResponse<IReadOnlyList<SignatureStatus?>>> GetSignatureStatusesAsync(IReadOnlyList<string> signatures, bool searchTransactionHistory = false, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetSignatureStatuses(signatures, searchTransactionHistory), cancellationToken);

    public Task<RpcResponse<AccountInfo?>> GetAccountInfoAsync(string address, AccountEncoding encoding = AccountEncoding.Base64, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetAccountInfo(address, encoding, commitment), cancellationToken);

    public Task<RpcResponse<IReadOnlyList<AccountInfo?>>> GetMultipleAccountsAsync(IReadOnlyList<string> addresses, AccountEncoding encoding = AccountEncoding.Base64, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetMultipleAccounts(addresses, encoding, commitment), cancellationToken);

    public Task<RpcResponse<ulong>> GetBalanceAsync(string address, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetBalance(address, commitment), cancellationToken);

    public Task<RpcResponse<TokenAmount>> GetTokenAccountBalanceAsync(string tokenAccount, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetTokenAccountBalance(tokenAccount, commitment), cancellationToken);

    public Task<RpcResponse<TokenAmount>> GetTokenSupplyAsync(string mint, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetTokenSupply(mint, commitment), cancellationToken);

    /// <summary>Sends signed wire bytes. A failed preflight throws <see cref="RpcPreflightFailureException"/> with the logs.</summary>
    public Task<string> SendTransactionAsync(byte[] signedTransaction, SendTransactionOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.SendTransaction(signedTransaction, options), cancellationToken);

    public Task<RpcResponse<SimulationResult>> SimulateTransactionAsync(byte[] transaction, SimulateTransactionOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.SimulateTransaction(transaction, options), cancellationToken);

    public Task<string> RequestAirdropAsync(string address, ulong lamports, Commitment? commitment = null, CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.RequestAirdrop(address, lamports, commitment), cancellationToken);

    public Task<string> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetHealth(), cancellationToken);

    public Task<NodeVersion> GetVersionAsync(CancellationToken cancellationToken = default) =>
        SendAsync(RpcRequests.GetVersion(), cancellationToken);
}
