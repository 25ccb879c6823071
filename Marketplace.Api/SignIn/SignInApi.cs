using System.Text;
using IoNet.Marketplace.Http;
using IoNet.Solana.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.SignIn;

/// <summary>Sign-In With Solana: a nonce, then the signed message for a token.</summary>
public static class SignInApi
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Sign-in").AllowAnonymous().RequireRateLimiting(RateLimits.SignInPolicy);
        group.MapPost("/nonce", IssueNonce)
            .WithSummary("A single-use nonce and the Sign-In With Solana message to sign with it");
        group.MapPost("/verify", Verify)
            .WithSummary("Checks the signed message (domain, chain, nonce, times, ed25519 signature) and returns an access token");
        return app;
    }

    public sealed record Services(SignInSettings Settings, SignInNonces Nonces, AccessTokens Tokens, TimeProvider Clock, MarketplaceMetrics Metrics);

    private static async Task<Ok<NonceResponse>> IssueNonce(NonceRequest request, [AsParameters] Services s, CancellationToken ct)
    {
        var address = request.Address!;
        var now = s.Clock.GetUtcNow();
        var expires = now + s.Settings.NonceLifetime;
        var nonce = await s.Nonces.IssueAsync(address, now, expires, ct);
        var message = SignInRules.MessageFor(s.Settings, address, nonce, now, expires);
        return TypedResults.Ok(new NonceResponse(nonce, message.ToText(), message.Domain, address, message.Statement!,
            message.Uri!, message.Version!, message.ChainId!, message.IssuedAt!, message.ExpirationTime!));
    }

    private static async Task<Results<Ok<AccessTokenResponse>, ValidationProblem, ProblemHttpResult>> Verify(
        VerifyRequest request, [AsParameters] Services s, CancellationToken ct)
    {
        if (!SignInMessage.TryParse(request.Message!, out var message, out var error))
            return Refused(s, "malformed", ApiProblems.Invalid("Message", "Not a Sign-In With Solana message: " + error + "."));
        if (!PublicKey.TryParse(message!.Address, out var address))
            return Refused(s, "malformed", ApiProblems.Invalid("Message", "The message's address is not a base58 Solana address."));
        if (!SignInRules.TryParseSignature(request.Signature!, out var signature))
            return Refused(s, "malformed", ApiProblems.Invalid("Signature", "The signature must be 64 bytes in base58, or in base64 with padding."));

        var now = s.Clock.GetUtcNow();
        if (SignInRules.Check(message, s.Settings, now) is { } wrong)
            return Refused(s, "fields", ApiProblems.Unauthorized(wrong));
        // The signature before the nonce: a forged request must not burn the nonce the real wallet is about to use.
        if (!Keypair.Verify(address, Encoding.UTF8.GetBytes(request.Message!), signature))
            return Refused(s, "signature", ApiProblems.Unauthorized("The signature is not the address's ed25519 signature of the message."));

        var use = await s.Nonces.ConsumeAsync(message.Nonce!, message.Address, now, ct);
        if (use.Outcome != NonceOutcome.Consumed)
        {
            return Refused(s, "nonce", ApiProblems.Unauthorized(use.Outcome switch
            {
                NonceOutcome.AlreadyUsed => "The nonce was already used: ask for a new one.",
                NonceOutcome.Expired => "The nonce has expired: ask for a new one.",
                NonceOutcome.OtherAddress => "The nonce was issued to another address.",
                _ => "The nonce was not issued by this server.",
            }));
        }
        SignInRules.TryParseTime(message.IssuedAt, out var issuedAt);
        if (issuedAt < use.IssuedAt - s.Settings.ClockSkew)
            return Refused(s, "fields", ApiProblems.Unauthorized("The message's Issued At is before its nonce was issued."));

        var (token, expiresAt) = s.Tokens.Issue(message.Address, now);
        s.Metrics.SignedIn();
        return TypedResults.Ok(new AccessTokenResponse(token, "Bearer", expiresAt, message.Address));
    }

    private static T Refused<T>(Services s, string reason, T result)
    {
        s.Metrics.SignInRefused(reason);
        return result;
    }
}
