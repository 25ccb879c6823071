namespace IoNet.Marketplace.Claims;

/// <summary>What a claim request does, decided from the wallet's pending claims (with their fates) and unpaid earnings.</summary>
public abstract record ClaimOutcome(IReadOnlyList<Guid> Release)
{
    /// <summary>A new claim for <paramref name="Earnings"/> (nothing reserves them).</summary>
    public sealed record Build(IReadOnlyList<AccruedEarning> Earnings, IReadOnlyList<Guid> Release) : ClaimOutcome(Release);

    /// <summary>Everything unpaid is reserved by <paramref name="Claim"/>, which may still land: the same transaction again.</summary>
    public sealed record Repeat(SupplierClaim Claim, IReadOnlyList<Guid> Release) : ClaimOutcome(Release);

    /// <summary><paramref name="Claim"/> landed; its earnings are paid once the Ledger holds its transfers.</summary>
    public sealed record Confirming(SupplierClaim Claim, IReadOnlyList<Guid> Release) : ClaimOutcome(Release);

    /// <summary>No unpaid earnings.</summary>
    public sealed record Nothing(IReadOnlyList<Guid> Release) : ClaimOutcome(Release);
}

/// <summary>
/// Decide(pending claims with their fates, unpaid earnings) -> what a claim request does. Pure. An earning is paid by
/// at most one claim that can land: a claim is released (its earnings freed) only when it can never land, and a new
/// claim takes only earnings no live or landed claim reserves.
/// </summary>
public static class ClaimDecisions
{
    public static ClaimOutcome Decide(IReadOnlyList<(SupplierClaim Claim, ClaimFate Fate)> pending, IReadOnlyList<AccruedEarning> unpaid)
    {
        var release = pending.Where(p => p.Fate == ClaimFate.CannotLand).Select(p => p.Claim.Id).ToList();
        var held = pending.Where(p => p.Fate != ClaimFate.CannotLand).Select(p => p.Claim.Id).ToHashSet();
        var free = unpaid.Where(e => e.PaidSignature is null && (e.Claim is not { } c || !held.Contains(c)))
            .OrderBy(e => e.AccruedAt).ThenBy(e => e.Rental).ThenBy(e => e.Mint, StringComparer.Ordinal).ToList();
        if (free.Count > 0)
            return new ClaimOutcome.Build(free, release);
        var live = pending.Where(p => p.Fate == ClaimFate.Live).OrderByDescending(p => p.Claim.CreatedAt).Select(p => p.Claim).FirstOrDefault();
        if (live is not null)
            return new ClaimOutcome.Repeat(live, release);
        var landed = pending.Where(p => p.Fate == ClaimFate.Landed).Select(p => p.Claim).FirstOrDefault();
        return landed is not null ? new ClaimOutcome.Confirming(landed, release) : new ClaimOutcome.Nothing(release);
    }
}
