using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Decoding;

/// <summary>One executed instruction: where it ran ("2" top-level, "2.0" its first inner one), what it called, and what it means.</summary>
public sealed record DecodedInstruction(
    string Path, int? StackHeight, PublicKey ProgramId, IReadOnlyList<AccountMeta> Accounts, ReadOnlyMemory<byte> Data, object Instruction)
{
    public bool IsTopLevel => !Path.Contains('.', StringComparison.Ordinal);
}

/// <summary>An instruction of a program IoNet does not decode, or data that did not fit its program's layout.</summary>
public sealed record UnknownInstruction(PublicKey ProgramId, ReadOnlyMemory<byte> Data, string Reason);

/// <summary>A token account the transaction touched: its mint and owner, as the node's token balances report them.</summary>
public sealed record TokenAccountInfo(PublicKey Mint, PublicKey? Owner, byte Decimals);

/// <summary>A token account's balance in base units before and after a transaction (0 where it did not exist).</summary>
public sealed record TokenBalanceChange(ulong Pre, ulong Post);

/// <summary>A whole transaction decoded: its id, slot, success, and every instruction in execution order.</summary>
public sealed record DecodedTransaction(
    Signature Signature, ulong Slot, long? BlockTime, bool Succeeded, string? Error,
    IReadOnlyList<PublicKey> AccountKeys, IReadOnlyList<DecodedInstruction> Instructions, IReadOnlyList<string> LogMessages)
{
    /// <summary>Token accounts by address (from pre and post token balances; post wins), to name owners of transfers.</summary>
    public IReadOnlyDictionary<PublicKey, TokenAccountInfo> TokenAccounts { get; init; } = new Dictionary<PublicKey, TokenAccountInfo>();

    /// <summary>
    /// Token balances before and after, by account, where the node reported them (an account missing on one side did
    /// not exist there); null when the node reported no token balances at all, so nothing can be said.
    /// </summary>
    public IReadOnlyDictionary<PublicKey, TokenBalanceChange>? TokenBalanceChanges { get; init; }
}
