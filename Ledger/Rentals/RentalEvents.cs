using IoNet.Ledger.Chain;

namespace IoNet.Ledger.Rentals;

/// <summary>A buyer paid into the escrow vault (token account <paramref name="Vault"/>) with the rental's Solana Pay reference.</summary>
public sealed record RentalFunded(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Rental, string Payer, string Mint, ulong Amount, string Vault) : IChainEvent;

/// <summary>The escrow vault (token account <paramref name="Vault"/>) paid a supplier for a rental.</summary>
public sealed record RentalSettled(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Rental, string Supplier, string Mint, ulong Amount, string Vault) : IChainEvent;

/// <summary>The escrow vault (token account <paramref name="Vault"/>) returned the unused rest of a rental to its buyer.</summary>
public sealed record RentalRefunded(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Rental, string Buyer, string Mint, ulong Amount, string Vault) : IChainEvent;
