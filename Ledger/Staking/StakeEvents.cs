using IoNet.Ledger.Chain;

namespace IoNet.Ledger.Staking;

/// <summary>A supplier moved IO into the stake vault for a device.</summary>
public sealed record StakeDeposited(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Device, string Staker, string Mint, ulong Amount) : IChainEvent;

/// <summary>The stake vault returned IO to the supplier of a device.</summary>
public sealed record StakeWithdrawn(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Device, string Staker, string Mint, ulong Amount) : IChainEvent;

/// <summary>The stake vault burned part of a device's stake.</summary>
public sealed record StakeSlashed(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Device, string Staker, string Mint, ulong Amount) : IChainEvent;
