using System.ComponentModel.DataAnnotations;
using IoNet.Marketplace.Http;

namespace IoNet.Marketplace.SignIn;

public sealed record NonceRequest
{
    /// <summary>The wallet that will sign in (base58).</summary>
    [Required, SolanaAddress]
    public string? Address { get; init; }
}

/// <summary>A nonce and the exact message to sign with it (its fields too, for wallets that build the message themselves).</summary>
public sealed record NonceResponse(
    string Nonce, string Message, string Domain, string Address, string Statement, string Uri, string Version,
    string ChainId, string IssuedAt, string ExpirationTime);

public sealed record VerifyRequest
{
    /// <summary>The signed message text, exactly as signed (UTF-8).</summary>
    [Required, StringLength(4096, MinimumLength = 1)]
    public string? Message { get; init; }

    /// <summary>The ed25519 signature of the message's UTF-8 bytes: base58, or base64 with padding.</summary>
    [Required, StringLength(128, MinimumLength = 1)]
    public string? Signature { get; init; }
}

public sealed record AccessTokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string Wallet);
