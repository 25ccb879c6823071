using IoNet.Ledger.Chain;

namespace IoNet.Ledger.Staking;

/// <summary>A supplier moved IO into the stake vault (token account <paramref name="Vault"/>) for a device.</summary>
public sealed record StakeDeposited(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Device, string Staker, string Mint, ulong Amount, string Vault) : IChainEvent;

/// <summary>The stake vault (token account <paramref name="Vault"/>) returned IO to the supplier of a device.</summary>
public sealed record StakeWithdrawn(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Device, string Staker, string Mint, ulong Amount, string Vault) : IChainEvent;

/// <summary>The stake vault (token account <paramref name="Vault"/>) burned part of a device's stake.</summary>
public sealed record StakeSlashed(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Device, string Staker, string Mint, ulong Amount, string Vault) : IChainEvent;
