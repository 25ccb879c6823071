namespace IoNet.Ledger.Rentals;

// Settlement of a rental (docs/marketplace.md, "Settlement"): the marketplace decides once what each supplier earned and
// what the buyer gets back, then the escrow vault pays it (the chain's RentalSettled / RentalRefunded); the rental is
// Settled once the Ledger holds every one of those transfers. Amounts in base units of the mint they are paid in.

/// <summary>
/// What a rental's escrow pays out, decided once when it ended: per device the time it served and its earnings, per
/// supplier the payout, the buyer's refund, and the fees the marketplace keeps in the vault. In the rental's mint
/// <see cref="Mint"/>: Σ <see cref="Payouts"/> + <see cref="Fees"/> + <see cref="Refund"/> = <see cref="Funded"/>,
/// exactly. <see cref="OtherRefunds"/> return payments made in another mint into that mint's escrow vault.
/// </summary>
public sealed record RentalSettlementDecided(
    Guid Rental, string Mint, ulong Funded, ulong UsageMicroUsd, ulong Charged, IReadOnlyList<SettlementLine> Devices,
    IReadOnlyList<SupplierPayout> Payouts, ulong Fees, string Buyer, ulong Refund, IReadOnlyList<OtherMintRefund> OtherRefunds,
    DateTimeOffset At);

/// <summary>One hired device's part: the whole seconds it served (booked, used, and available) and what they earned.</summary>
public sealed record SettlementLine(
    Guid Device, string Supplier, int GpuCount, ulong PricePerGpuHour, long ServedSeconds, ulong UsageMicroUsd, ulong Payout);

/// <summary>What one supplier receives (the sum of its devices' payouts).</summary>
public sealed record SupplierPayout(string Supplier, ulong Amount);

/// <summary>A payment in another mint than the rental's (it never counted), returned to its payer in its own mint.</summary>
public sealed record OtherMintRefund(string Mint, string Payer, ulong Amount);

/// <summary>The Ledger holds every transfer the settlement decided (<see cref="Signatures"/>): the rental is Settled.</summary>
public sealed record RentalSettlementCompleted(Guid Rental, IReadOnlyList<string> Signatures, DateTimeOffset At);
