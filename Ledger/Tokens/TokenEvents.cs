using IoNet.Ledger.Chain;

namespace IoNet.Ledger.Tokens;

/// <summary>Tokens of a tracked mint were burned (Burn / BurnChecked) from <paramref name="Account"/>, owned by <paramref name="Owner"/>.</summary>
public sealed record TokensBurned(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Mint, string Account, string Owner, ulong Amount) : IChainEvent;

/// <summary>Tokens of a tracked mint were minted (MintTo / MintToChecked) into <paramref name="Account"/>, owned by <paramref name="Owner"/>.</summary>
public sealed record TokensMinted(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Mint, string Account, string Owner, ulong Amount) : IChainEvent;

/// <summary>The treasury burned IO as the protocol fee.</summary>
public sealed record FeesBurned(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Mint, string Account, ulong Amount) : IChainEvent;

/// <summary>
/// A buyer burned IO to buy credits: a burn of the IO mint under a `buy` memo (docs/onchain.md), recorded at the burn
/// beside its <see cref="TokensBurned"/>. <paramref name="RateMicroUsd"/> is the rate the memo states and
/// <paramref name="Quote"/> the marketplace quote it names, if any; the credits desk decides what is minted for it.
/// </summary>
public sealed record CreditsRequested(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Buyer, string Account, ulong IoBurned, ulong RateMicroUsd, Guid? Quote) : IChainEvent;

/// <summary>
/// A buyer's IO burn and the IOSD mint that paid for it, linked by the mint's memo (which names the burn's
/// signature and the USD rate). Recorded at the mint's position; the supply effects are the TokensBurned and
/// TokensMinted events of the two instructions.
/// </summary>
public sealed record CreditsPurchased(
    string Signature, ulong Slot, long? BlockTime, string Path,
    string Buyer, string BurnSignature, ulong IoBurned, ulong IosdMinted, string UsdRate) : IChainEvent;
