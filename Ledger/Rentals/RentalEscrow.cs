using IoNet.Ledger.Chain;
using Marten.Events.Projections;

namespace IoNet.Ledger.Rentals;

/// <summary>One rental's money in the escrow vault (keyed by its Solana Pay reference), in base units of its mint.</summary>
public sealed class RentalEscrow
{
    public string Id { get; set; } = "";
    public string? Mint { get; set; }
    public string? Payer { get; set; }
    public ulong Funded { get; set; }
    public ulong Settled { get; set; }
    public ulong Refunded { get; set; }
    public Dictionary<string, ulong> PaidToSuppliers { get; set; } = [];

    /// <summary>What the vault still holds for this rental (never negative: the vault cannot pay what it lacks).</summary>
    public ulong Balance => Funded - Settled - Refunded;
}

public sealed class RentalEscrowProjection : MultiStreamProjection<RentalEscrow, string>
{
    public RentalEscrowProjection()
    {
        Identity<RentalFunded>(e => e.Rental);
        Identity<RentalSettled>(e => e.Rental);
        Identity<RentalRefunded>(e => e.Rental);
    }

    public static void Apply(RentalFunded e, RentalEscrow view)
    {
        view.Mint ??= e.Mint;
        view.Payer ??= e.Payer;
        view.Funded += e.Amount;
    }

    public static void Apply(RentalSettled e, RentalEscrow view)
    {
        view.Settled += e.Amount;
        Tally.Add(view.PaidToSuppliers, e.Supplier, e.Amount);
    }

    public static void Apply(RentalRefunded e, RentalEscrow view) => view.Refunded += e.Amount;
}
