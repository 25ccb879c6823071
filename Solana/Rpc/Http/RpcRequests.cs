using System.Text.Json;

namespace IoNet.Solana.Rpc;

/// <summary>Builds the JSON-RPC calls the client knows. Used directly for batches.</summary>
public static class RpcRequests
{
    private static SolanaRpcJsonContext Types => SolanaRpcJsonContext.Default;

    public static RpcRequest<ulong> GetSlot(Commitment? commitment = null, ulong? minContextSlot = null) =>
        new("getSlot", Config(commitment, minContextSlot: minContextSlot), Types.UInt64);

    public static RpcRequest<ulong> GetBlockHeight(Commitment? commitment = null) =>
        new("getBlockHeight", Config(commitment), Types.UInt64);

    public static RpcRequest<RpcResponse<LatestBlockhash>> GetLatestBlockhash(Commitment? commitment = null) =>
        new("getLatestBlockhash", Config(commitment), Types.RpcResponseLatestBlockhash);

    public static RpcRequest<RpcResponse<bool>> IsBlockhashValid(string blockhash, Commitment? commitment = null) =>
        new("isBlockhashValid", w => { w.WriteStringValue(blockhash); WriteConfig(w, commitment); }, Types.RpcResponseBoolean);

    /// <summary>getBlock with full transaction details; always maxSupportedTransactionVersion 0. Null for a slot with no block.</summary>
    public static RpcRequest<Block?> GetBlock(ulong slot, TransactionEncoding encoding = TransactionEncoding.Json, bool rewards = true,
        Commitment? commitment = null, string transactionDetails = "full") =>
        new("getBlock", w =>
        {
            w.WriteNumberValue(slot);
            w.WriteStartObject();
            w.WriteString("encoding"u8, EncodingName(encoding));
            w.WriteString("transactionDetails"u8, transactionDetails);
            w.WriteBoolean("rewards"u8, rewards);
            w.WriteNumber("maxSupportedTransactionVersion"u8, 0);
            if (commitment is { } c) w.WriteString("commitment"u8, CommitmentName(c));
            w.WriteEndObject();
        }, Types.Block!);

    public static RpcRequest<IReadOnlyList<ulong>> GetBlocks(ulong startSlot, ulong? endSlot = null, Commitment? commitment = null) =>
        new("getBlocks", w =>
        {
            w.WriteNumberValue(startSlot);
            if (endSlot is { } end) w.WriteNumberValue(end);
            WriteConfig(w, commitment);
        }, Types.IReadOnlyListUInt64);

    /// <summary>getTransaction; always maxSupportedTransactionVersion 0 (v0 transactions otherwise fail with -32015). Null when unknown.</summary>
    public static RpcRequest<TransactionResponse?> GetTransaction(string signature, TransactionEncoding encoding = TransactionEncoding.Json, Commitment? commitment = null) =>
        new("getTransaction", w =>
        {
            w.WriteStringValue(signature);
            w.WriteStartObject();
            w.WriteString("encoding"u8, EncodingName(encoding));
            w.WriteNumber("maxSupportedTransactionVersion"u8, 0);
            if (commitment is { } c) w.WriteString("commitment"u8, CommitmentName(c));
            w.WriteEndObject();
        }, Types.TransactionResponse!);

    public static RpcRequest<IReadOnlyList<SignatureInfo>> GetSignaturesForAddress(string address, SignaturesForAddressOptions? options = null) =>
        new("getSignaturesForAddress", w =>
        {
            w.WriteStringValue(address);
            w.WriteStartObject();
            if (options?.Limit is { } limit) w.WriteNumber("limit"u8, limit);
            if (options?.Before is { } before) w.WriteString("before"u8, before);
            if (options?.Until is { } until) w.WriteString("until"u8, until);
            if (options?.Commitment is { } c) w.WriteString("commitment"u8, CommitmentName(c));
            if (options?.MinContextSlot is { } min) w.WriteNumber("minContextSlot"u8, min);
            w.WriteEndObject();
        }, Types.IReadOnlyListSignatureInfo);

    public static RpcRequest<RpcResponse<IReadOnlyList<SignatureStatus?>>> GetSignatureStatuses(IReadOnlyList<string> signatures, bool searchTransactionHistory = false) =>
        new("getSignatureStatuses", w =>
        {
            w.WriteStartArray();
            foreach (var s in signatures) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteStartObject();
            w.WriteBoolean("searchTransactionHistory"u8, searchTransactionHistory);
            w.WriteEndObject();
        }, Types.RpcResponseIReadOnlyListSignatureStatus);

    public static RpcRequest<RpcResponse<AccountInfo?>> GetAccountInfo(string address, AccountEncoding encoding = AccountEncoding.Base64, Commitment? commitment = null) =>
        new("getAccountInfo", w => { w.WriteStringValue(address); WriteConfig(w, commitment, encoding); }, Types.RpcResponseAccountInfo);

    public static RpcRequest<RpcResponse<IReadOnlyList<AccountInfo?>>> GetMultipleAccounts(IReadOnlyList<string> addresses, AccountEncoding encoding = AccountEncoding.Base64, Commitment? commitment = null) =>
        new("getMultipleAccounts", w =>
        {
            w.WriteStartArray();
            foreach (var a in addresses) w.WriteStringValue(a);
            w.WriteEndArray();
            WriteConfig(w, commitment, encoding);
        }, Types.RpcResponseIReadOnlyListAccountInfo);

    public static RpcRequest<RpcResponse<ulong>> GetBalance(string address, Commitment? commitment = null) =>
        new("getBalance", w => { w.WriteStringValue(address); WriteConfig(w, commitment); }, Types.RpcResponseUInt64);

    public static RpcRequest<RpcResponse<TokenAmount>> GetTokenAccountBalance(string tokenAccount, Commitment? commitment = null) =>
        new("getTokenAccountBalance", w => { w.WriteStringValue(tokenAccount); WriteConfig(w, commitment); }, Types.RpcResponseTokenAmount);

    public static RpcRequest<RpcResponse<TokenAmount>> GetTokenSupply(string mint, Commitment? commitment = null) =>
        new("getTokenSupply", w => { w.WriteStringValue(mint); WriteConfig(w, commitment); }, Types.RpcResponseTokenAmount);

    /// <summary>Sends signed wire bytes (base64). Returns the first signature.</summary>
    public static RpcRequest<string> SendTransaction(byte[] signedTransaction, SendTransactionOptions? options = null) =>
        new("sendTransaction", w =>
        {
            w.WriteBase64StringValue(signedTransaction);
            w.WriteStartObject();
            w.WriteString("encoding"u8, "base64"u8);
            w.WriteBoolean("skipPreflight"u8, options?.SkipPreflight ?? false);
            if (options?.PreflightCommitment is { } c) w.WriteString("preflightCommitment"u8, CommitmentName(c));
            if (options?.MaxRetries is { } r) w.WriteNumber("maxRetries"u8, r);
            if (options?.MinContextSlot is { } m) w.WriteNumber("minContextSlot"u8, m);
            w.WriteEndObject();
        }, Types.String);

    public static RpcRequest<RpcResponse<SimulationResult>> SimulateTransaction(byte[] transaction, SimulateTransactionOptions? options = null) =>
        new("simulateTransaction", w =>
        {
            w.WriteBase64StringValue(transaction);
            w.WriteStartObject();
            w.WriteString("encoding"u8, "base64"u8);
            w.WriteBoolean("sigVerify"u8, options?.SigVerify ?? false);
            w.WriteBoolean("replaceRecentBlockhash"u8, options?.ReplaceRecentBlockhash ?? false);
            if (options?.InnerInstructions == true) w.WriteBoolean("innerInstructions"u8, true);
            if (options?.Commitment is { } c) w.WriteString("commitment"u8, CommitmentName(c));
            w.WriteEndObject();
        }, Types.RpcResponseSimulationResult);

    public static RpcRequest<string> RequestAirdrop(string address, ulong lamports, Commitment? commitment = null) =>
        new("requestAirdrop", w => { w.WriteStringValue(address); w.WriteNumberValue(lamports); WriteConfig(w, commitment); }, Types.String);

    /// <summary>"ok"; an unhealthy node answers with -32005.</summary>
    public static RpcRequest<string> GetHealth() => new("getHealth", null, Types.String);

    public static RpcRequest<NodeVersion> GetVersion() => new("getVersion", null, Types.NodeVersion);

    internal static string CommitmentName(Commitment c) => c switch
    {
        Commitment.Processed => "processed",
        Commitment.Confirmed => "confirmed",
        _ => "finalized",
    };

    private static string EncodingName(TransactionEncoding e) => e switch
    {
        TransactionEncoding.JsonParsed => "jsonParsed",
        TransactionEncoding.Base64 => "base64",
        TransactionEncoding.Base58 => "base58",
        _ => "json",
    };

    private static Action<Utf8JsonWriter>? Config(Commitment? commitment, ulong? minContextSlot = null) =>
        commitment is null && minContextSlot is null ? null : w => WriteConfig(w, commitment, null, minContextSlot);

    private static void WriteConfig(Utf8JsonWriter w, Commitment? commitment, AccountEncoding? encoding = null, ulong? minContextSlot = null)
    {
        if (commitment is null && encoding is null && minContextSlot is null)
            return;
        w.WriteStartObject();
        if (commitment is { } c) w.WriteString("commitment"u8, CommitmentName(c));
        if (encoding is { } e) w.WriteString("encoding"u8, e == AccountEncoding.JsonParsed ? "jsonParsed" : "base64");
        if (minContextSlot is { } m) w.WriteNumber("minContextSlot"u8, m);
        w.WriteEndObject();
    }
}
