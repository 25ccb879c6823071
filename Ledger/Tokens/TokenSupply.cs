using IoNet.Ledger.Chain;
using IoNet.Ledger.Staking;
using Marten.Events.Projections;

namespace IoNet.Ledger.Tokens;

/// <summary>Per tracked mint: what was minted and burned since indexing began, in base units.</summary>
public sealed class TokenSupply : CheckedReadModel
{
    public string Id { get; set; } = "";
    public ulong Minted { get; set; }
    public ulong Burned { get; set; }

    /// <summary>Minted less burned; null while more was burned than minted (see <see cref="CheckedReadModel"/>).</summary>
    public ulong? Circulating => Remaining(Minted, Burned);
}

public sealed class TokenSupplyProjection : MultiStreamProjection<TokenSupply, string>
{
    public TokenSupplyProjection()
    {
        Identity<TokensMinted>(e => e.Mint);
        Identity<TokensBurned>(e => e.Mint);
        Identity<FeesBurned>(e => e.Mint);
        Identity<StakeSlashed>(e => e.Mint);
    }

    public static void Apply(TokensMinted e, TokenSupply view) => view.Minted = view.Add(e, view.Minted, e.Amount, "minted");

    public static void Apply(TokensBurned e, TokenSupply view) => view.Burned = view.Add(e, view.Burned, e.Amount, "burned");

    public static void Apply(FeesBurned e, TokenSupply view) => view.Burned = view.Add(e, view.Burned, e.Amount, "burned");

    public static void Apply(StakeSlashed e, TokenSupply view) => view.Burned = view.Add(e, view.Burned, e.Amount, "burned");
}
