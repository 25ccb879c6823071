using IoNet.Ledger.Chain;
using Marten.Events.Projections;

namespace IoNet.Ledger.Rentals;

/// <summary>One rental's money in the escrow vault (keyed by its Solana Pay reference), in base units of its mint.</summary>
public sealed class RentalEscrow : CheckedReadModel
{
    public string Id { get; set; } = "";
    public string? Mint { get; set; }
    public string? Payer { get; set; }
    public ulong Funded { get; set; }
    public ulong Settled { get; set; }
    public ulong Refunded { get; set; }
    public Dictionary<string, ulong> PaidToSuppliers { get; set; } = [];

    /// <summary>
    /// What the vault still holds for this rental; null while more was paid out for it than funded (the vault is
    /// one pool, so its authority can do that; see <see cref="CheckedReadModel"/>).
    /// </summary>
    public ulong? Balance => Remaining(Funded, Settled, Refunded);
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
        view.Funded = view.Add(e, view.Funded, e.Amount, "funded");
    }

    public static void Apply(RentalSettled e, RentalEscrow view)
    {
        view.Settled = view.Add(e, view.Settled, e.Amount, "settled");
        view.Add(e, view.PaidToSuppliers, e.Supplier, e.Amount, "paid to suppliers");
    }

    public static void Apply(RentalRefunded e, RentalEscrow view) => view.Refunded = view.Add(e, view.Refunded, e.Amount, "refunded");
}
