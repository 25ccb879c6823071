namespace IoNet.Marketplace.SignIn;

/// <summary>Marketplace:SignIn — what this server puts in (and demands of) every sign-in message, and its tokens.</summary>
public sealed class SignInSettings
{
    public const string Section = "Marketplace:SignIn";

    /// <summary>The RFC 3986 authority (host[:port]) users sign in to; a message for another domain is refused.</summary>
    public string Domain { get; set; } = "127.0.0.1:5080";

    /// <summary>The URI of the service, as the message states it.</summary>
    public string Uri { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The wallet-standard chain: solana:mainnet, solana:devnet, solana:testnet or solana:localnet.</summary>
    public string ChainId { get; set; } = "solana:localnet";

    public string Statement { get; set; } = "Sign in to the IoNet marketplace.";

    /// <summary>How long a nonce may wait for its signed message.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an access token is good for.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Clock difference tolerated between wallet, server and token validation.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Issuer and audience of the tokens.</summary>
    public string TokenIssuer { get; set; } = "ionet-marketplace";

    /// <summary>
    /// The HS256 key (base64, at least 32 bytes). Every replica needs the same one. When empty, the key in
    /// <see cref="TokenKeyFile"/> is used, generated there on first start (a development convenience).
    /// </summary>
    public string? TokenKey { get; set; }

    /// <summary>Relative to the content root (the working directory under ./ionet up: the repository).</summary>
    public string TokenKeyFile { get; set; } = ".data/marketplace-token.key";
}
