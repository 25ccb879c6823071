using System.Security.Claims;

namespace IoNet.Marketplace.Http;

/// <summary>Who acts: the wallet a sign-in token was issued to (its subject), and the authorization policies built on it.</summary>
public static class WalletPrincipal
{
    /// <summary>Any signed-in wallet.</summary>
    public const string WalletPolicy = "wallet";

    /// <summary>A signed-in wallet listed in Marketplace:OperatorWallets.</summary>
    public const string OperatorPolicy = "operator";

    public const string SubjectClaim = "sub";

    /// <summary>The acting wallet's base58 address, or null when the request is not signed in.</summary>
    public static string? Wallet(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(SubjectClaim)?.Value : null;

    /// <summary>The acting wallet on an endpoint that requires <see cref="WalletPolicy"/>.</summary>
    public static string RequireWallet(this ClaimsPrincipal user) =>
        user.Wallet() ?? throw new InvalidOperationException("The endpoint must require the wallet policy.");
}
