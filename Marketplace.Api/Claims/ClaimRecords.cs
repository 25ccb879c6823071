namespace IoNet.Marketplace.Claims;

/// <summary>
/// A supplier's payout for one rental that settlement accrued instead of paying (the wallet chose to claim): in base
/// units of <see cref="Mint"/>. Unpaid until the Ledger holds the escrow's transfer of it (<see cref="PaidSignature"/>);
/// reserved while <see cref="Claim"/> names a claim transaction that may still land.
/// </summary>
public sealed record AccruedEarning(
    Guid Rental, string Wallet, string Mint, ulong Amount, DateTimeOffset AccruedAt, Guid? Claim, string? PaidSignature, DateTimeOffset? PaidAt);

/// <summary>Where a claim stands (docs in Marketplace.Api/README.md, "Claims").</summary>
public enum ClaimState
{
    /// <summary>Its transaction was handed out and may land: the earnings it pays are reserved for it.</summary>
    Pending,

    /// <summary>The Ledger holds the transfers of every earning it pays.</summary>
    Paid,

    /// <summary>Its blockhash expired without it landing: it can never land, and its earnings were freed.</summary>
    Released,
}

/// <summary>
/// One claim: a transaction that pays <see cref="Wallet"/> the earnings reserved for it, partly signed by the escrow
/// authority (the wallet signs as fee payer). <see cref="Reference"/> is a key on its first transfer, so the chain
/// finds it without knowing the wallet's signature; it can land until block height <see cref="LastValidBlockHeight"/>.
/// </summary>
public sealed record SupplierClaim(
    Guid Id, string Wallet, string Reference, byte[] Transaction, string Blockhash, ulong LastValidBlockHeight, string Message,
    ClaimState State, DateTimeOffset CreatedAt, string? Signature, DateTimeOffset? PaidAt, DateTimeOffset? ReleasedAt, string? ReleaseReason);

/// <summary>What the chain says about a pending claim's transaction.</summary>
public enum ClaimFate
{
    /// <summary>Not landed, and its blockhash is still valid: it may land.</summary>
    Live,

    /// <summary>Landed without error (the Ledger's transfers confirm it).</summary>
    Landed,

    /// <summary>Its blockhash expired and no successful landing exists: it never can land.</summary>
    CannotLand,
}
