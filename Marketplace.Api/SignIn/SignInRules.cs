using System.Globalization;
using System.Text.RegularExpressions;
using IoNet.Solana.Keys;

namespace IoNet.Marketplace.SignIn;

/// <summary>What a signed message must say to be accepted here (pure: the clock comes in as <c>now</c>).</summary>
public static partial class SignInRules
{
    public const string Version = "1";

    /// <summary>The message this server asks a wallet to sign for a nonce.</summary>
    public static SignInMessage MessageFor(SignInSettings settings, string address, string nonce, DateTimeOffset issuedAt, DateTimeOffset expiresAt) => new()
    {
        Domain = settings.Domain, Address = address, Statement = settings.Statement, Uri = settings.Uri, Version = Version,
        ChainId = settings.ChainId, Nonce = nonce, IssuedAt = Timestamp(issuedAt), ExpirationTime = Timestamp(expiresAt),
    };

    /// <summary>As JavaScript's Date.toISOString writes it (what wallets put in messages).</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Null when the message's fields are acceptable at <paramref name="now"/>; otherwise why not.</summary>
    public static string? Check(SignInMessage message, SignInSettings settings, DateTimeOffset now)
    {
        if (message.Domain != settings.Domain)
            return $"The message signs in to '{message.Domain}'; this server is '{settings.Domain}'.";
        if (message.Uri != settings.Uri)
            return $"The message's URI must be '{settings.Uri}'.";
        if (message.Version != Version)
            return $"The message's Version must be '{Version}'.";
        if (message.ChainId != settings.ChainId)
            return $"The message's Chain ID must be '{settings.ChainId}'.";
        if (message.Nonce is null)
            return "The message has no Nonce: ask POST /api/auth/nonce for one.";
        if (!TryParseTime(message.IssuedAt, out var issuedAt))
            return "The message needs an Issued At time in RFC 3339 form (e.g. 2025-01-31T12:00:00.000Z).";
        if (issuedAt > now + settings.ClockSkew)
            return "The message's Issued At is in the future.";
        if (issuedAt < now - settings.NonceLifetime - settings.ClockSkew)
            return "The message's Issued At is too old: sign in again with a new nonce.";
        if (message.ExpirationTime is not null)
        {
            if (!TryParseTime(message.ExpirationTime, out var expires))
                return "The message's Expiration Time is not an RFC 3339 time.";
            if (expires <= now)
                return "The message has expired: sign in again with a new nonce.";
        }
        if (message.NotBefore is not null)
        {
            if (!TryParseTime(message.NotBefore, out var notBefore))
                return "The message's Not Before is not an RFC 3339 time.";
            if (notBefore > now + settings.ClockSkew)
                return "The message is not valid yet (Not Before).";
        }
        return null;
    }

    public static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>A 64-byte signature in base58, or in base64 with its padding ('=' is not a base58 character).</summary>
    public static bool TryParseSignature(string text, out Signature signature)
    {
        if (!text.EndsWith('=') && Signature.TryParse(text, out signature))
            return true;
        signature = default;
        Span<byte> bytes = stackalloc byte[Signature.Length + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written) || written != Signature.Length)
            return false;
        signature = new Signature(bytes[..Signature.Length]);
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
