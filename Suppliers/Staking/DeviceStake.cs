namespace IoNet.Suppliers.Staking;

/// <summary>Cooldown and slashing amounts (docs/rewards.md, "Staking"); the defaults are the cooldown and this project's choice of penalties.</summary>
public sealed record StakeRules
{
    public static readonly StakeRules Default = new();

    /// <summary>Between asking to unstake and being able to withdraw.</summary>
    public TimeSpan UnstakeCooldown { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Share of the stake burned when a hired device fails a proof of work, in basis points.</summary>
    public int FailedProofWhileHiredBasisPoints { get; init; } = 1_000;

    /// <summary>Share burned for spoofing (declared hardware it does not have, a forged proof), in basis points.</summary>
    public int SpoofingBasisPoints { get; init; } = 10_000;
}

public enum SlashReason
{
    FailedProofWhileHired = 1,
    Spoofing = 2,
}

/// <summary>An unstake request: <see cref="Amount"/> base units, withdrawable from <see cref="AvailableAt"/>.</summary>
public sealed record UnstakeRequest(ulong Amount, DateTimeOffset RequestedAt, DateTimeOffset AvailableAt);

/// <summary>
/// A device's stake as the marketplace manages it, pure (every time and amount passed in): <see cref="Staked"/> counts
/// what backs the device (deposits less withdrawals and slashes, less what is cooling down); an unstake request locks
/// its amount out of <see cref="Staked"/> at once (it no longer counts for nomination) and becomes withdrawable after the
/// cooldown; a slash burns a share of everything still in the vault, cooling-down amounts first left alone.
/// </summary>
public sealed class DeviceStake
{
    private readonly List<UnstakeRequest> _cooling = [];

    public ulong Deposited { get; private set; }
    public ulong Withdrawn { get; private set; }
    public ulong Slashed { get; private set; }
    public IReadOnlyList<UnstakeRequest> Cooling => _cooling;

    /// <summary>In the vault for this device: deposited less withdrawn and slashed.</summary>
    public ulong InVault => Deposited - Withdrawn - Slashed;

    /// <summary>What counts for nomination and eligibility: in the vault and not cooling down.</summary>
    public ulong Staked => InVault - _cooling.Aggregate(0UL, (sum, r) => sum + r.Amount);

    public void Deposit(ulong amount) => Deposited = checked(Deposited + amount);

    /// <summary>Asks to unstake <paramref name="amount"/>; null when more than <see cref="Staked"/> is asked.</summary>
    public UnstakeRequest? RequestUnstake(ulong amount, DateTimeOffset now, StakeRules rules)
    {
        if (amount == 0 || amount > Staked)
            return null;
        var request = new UnstakeRequest(amount, now, now + rules.UnstakeCooldown);
        _cooling.Add(request);
        return request;
    }

    /// <summary>What may be withdrawn now (cooldowns over), in base units; the caller sends the Unstake transaction and then calls <see cref="Withdraw"/>.</summary>
    public ulong Withdrawable(DateTimeOffset now) => _cooling.Where(r => r.AvailableAt <= now).Aggregate(0UL, (sum, r) => sum + r.Amount);

    /// <summary>Records the withdrawal of every request whose cooldown is over; returns the amount.</summary>
    public ulong Withdraw(DateTimeOffset now)
    {
        var amount = Withdrawable(now);
        _cooling.RemoveAll(r => r.AvailableAt <= now);
        Withdrawn = checked(Withdrawn + amount);
        return amount;
    }

    /// <summary>
    /// The amount to burn (a Slash transaction) for <paramref name="reason"/>: the rule's share of what is in the vault,
    /// rounded up so that a penalty is never 0 while something is staked. Applies it: the staked part pays first, then
    /// cooling requests (newest first) shrink.
    /// </summary>
    public ulong Slash(SlashReason reason, StakeRules rules)
    {
        var basisPoints = reason switch
        {
            SlashReason.FailedProofWhileHired => rules.FailedProofWhileHiredBasisPoints,
            SlashReason.Spoofing => rules.SpoofingBasisPoints,
            _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown slash reason."),
        };
        var amount = (ulong)(((UInt128)InVault * (ulong)basisPoints + 9_999) / 10_000);
        var fromCooling = amount > Staked ? amount - Staked : 0;
        for (var i = _cooling.Count - 1; i >= 0 && fromCooling > 0; i--)
        {
            var take = Math.Min(fromCooling, _cooling[i].Amount);
            fromCooling -= take;
            if (take == _cooling[i].Amount)
                _cooling.RemoveAt(i);
            else
                _cooling[i] = _cooling[i] with { Amount = _cooling[i].Amount - take };
        }
        Slashed = checked(Slashed + amount);
        return amount;
    }
}
