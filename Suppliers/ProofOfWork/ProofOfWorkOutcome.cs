namespace IoNet.Suppliers.ProofOfWork;

/// <summary>Why a proof of work failed (docs/proof-of-work.md, "Outcomes").</summary>
public enum ProofOfWorkFailure
{
    /// <summary>A sampled row, correctly committed, is not the row of A·B mod p.</summary>
    WrongAnswer,

    /// <summary>The commitment arrived after the deadline, or the rows after the opening window (server clock).</summary>
    Timeout,

    /// <summary>The opening does not match the commitment: other rows, a wrong length, a Merkle proof that fails.</summary>
    BadProof,

    /// <summary>The commitment is not signed by the device's key.</summary>
    BadSignature,

    /// <summary>The commitment answers another challenge, or this challenge was already answered.</summary>
    Replay,
}

/// <summary>Verified, or failed with its reason and a one-line detail for the operator.</summary>
public sealed record ProofOfWorkOutcome(ProofOfWorkFailure? Failure, string Detail)
{
    public static readonly ProofOfWorkOutcome Verified = new(null, "verified");

    public bool IsVerified => Failure is null;

    public static ProofOfWorkOutcome Failed(ProofOfWorkFailure reason, string detail) => new(reason, detail);

    public override string ToString() => Failure is { } f ? $"failed ({f}): {Detail}" : Detail;
}
