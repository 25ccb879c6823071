using IoNet.Ledger.Chain;

namespace IoNet.Ledger.Vaults;

/// <summary>
/// Tokens arrived in a tracked vault (token account <paramref name="Vault"/>) by a movement no IoNet flow accounts for:
/// a transfer without a memo or with one that does not describe it, a mint into the vault, a transfer made by another
/// program (CPI), or a balance change the transaction's instructions do not explain. <paramref name="Counterparty"/>
/// is the token account the tokens came from (the mint for a mint; empty for an unexplained balance change);
/// <paramref name="Instruction"/> names what moved them ("Transfer", "MintToChecked", "balance change", …).
/// </summary>
public sealed record VaultDeposited(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Vault, string Mint, string Counterparty, ulong Amount, string Instruction) : IChainEvent;

/// <summary>
/// Tokens left a tracked vault by a movement no IoNet flow accounts for (see <see cref="VaultDeposited"/>);
/// <paramref name="Counterparty"/> is the token account they went to (the mint for a burn).
/// </summary>
public sealed record VaultWithdrawn(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Vault, string Mint, string Counterparty, ulong Amount, string Instruction) : IChainEvent;
