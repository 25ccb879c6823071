using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using Marten.Events.Projections;

namespace IoNet.Ledger.Vaults;

/// <summary>
/// One tracked vault (its token account's address): every token that came in and went out, whether an IoNet flow
/// moved it (rentals, rewards, stakes, slashes, fee burns) or not (<see cref="VaultDeposited"/>, <see cref="VaultWithdrawn"/>).
/// With the whole history indexed, <see cref="Balance"/> is the account's balance on chain.
/// </summary>
public sealed class VaultBalance : CheckedReadModel
{
    public string Id { get; set; } = "";
    public string? Mint { get; set; }
    public ulong Inflow { get; set; }
    public ulong Outflow { get; set; }

    /// <summary>The part of <see cref="Inflow"/> that no IoNet flow accounts for.</summary>
    public ulong UnattributedInflow { get; set; }

    /// <summary>The part of <see cref="Outflow"/> that no IoNet flow accounts for.</summary>
    public ulong UnattributedOutflow { get; set; }

    /// <summary>Inflow less outflow; null while the outflow exceeds the inflow (see <see cref="CheckedReadModel"/>).</summary>
    public ulong? Balance => Remaining(Inflow, Outflow);

    internal void In(IChainEvent e, string mint, ulong amount)
    {
        Mint ??= mint;
        Inflow = Add(e, Inflow, amount, "inflow");
    }

    internal void Out(IChainEvent e, string mint, ulong amount)
    {
        Mint ??= mint;
        Outflow = Add(e, Outflow, amount, "outflow");
    }
}

public sealed class VaultBalanceProjection : MultiStreamProjection<VaultBalance, string>
{
    public VaultBalanceProjection()
    {
        Identity<RentalFunded>(e => e.Vault);
        Identity<RentalSettled>(e => e.Vault);
        Identity<RentalRefunded>(e => e.Vault);
        Identity<RewardPaid>(e => e.Vault);
        Identity<StakeDeposited>(e => e.Vault);
        Identity<StakeWithdrawn>(e => e.Vault);
        Identity<StakeSlashed>(e => e.Vault);
        Identity<FeesBurned>(e => e.Account);
        Identity<VaultDeposited>(e => e.Vault);
        Identity<VaultWithdrawn>(e => e.Vault);
    }

    public static void Apply(RentalFunded e, VaultBalance view) => view.In(e, e.Mint, e.Amount);

    public static void Apply(RentalSettled e, VaultBalance view) => view.Out(e, e.Mint, e.Amount);

    public static void Apply(RentalRefunded e, VaultBalance view) => view.Out(e, e.Mint, e.Amount);

    public static void Apply(RewardPaid e, VaultBalance view) => view.Out(e, e.Mint, e.Amount);

    public static void Apply(StakeDeposited e, VaultBalance view) => view.In(e, e.Mint, e.Amount);

    public static void Apply(StakeWithdrawn e, VaultBalance view) => view.Out(e, e.Mint, e.Amount);

    public static void Apply(StakeSlashed e, VaultBalance view) => view.Out(e, e.Mint, e.Amount);

    public static void Apply(FeesBurned e, VaultBalance view) => view.Out(e, e.Mint, e.Amount);

    public static void Apply(VaultDeposited e, VaultBalance view)
    {
        view.In(e, e.Mint, e.Amount);
        view.UnattributedInflow = view.Add(e, view.UnattributedInflow, e.Amount, "unattributed inflow");
    }

    public static void Apply(VaultWithdrawn e, VaultBalance view)
    {
        view.Out(e, e.Mint, e.Amount);
        view.UnattributedOutflow = view.Add(e, view.UnattributedOutflow, e.Amount, "unattributed outflow");
    }
}
