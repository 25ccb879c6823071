using System.Security.Cryptography;
using IoNet.Marketplace.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IoNet.Marketplace.SignIn;

/// <summary>Short-lived HS256 JWTs whose subject is the signed-in wallet; validated by ASP.NET's JwtBearer handler.</summary>
public sealed class AccessTokens(SignInSettings settings, SymmetricSecurityKey key)
{
    private readonly JsonWebTokenHandler _handler = new();

    public SymmetricSecurityKey Key => key;

    public (string Token, DateTimeOffset ExpiresAt) Issue(string wallet, DateTimeOffset now)
    {
        var expires = now + settings.TokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.TokenIssuer,
            Audience = settings.TokenIssuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [WalletPrincipal.SubjectClaim] = wallet,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    public void Configure(JwtBearerOptions options)
    {
        // Keep "sub" as it is (no mapping to a long XML claim type name).
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.TokenIssuer,
            ValidAudience = settings.TokenIssuer,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = settings.ClockSkew,
            NameClaimType = WalletPrincipal.SubjectClaim,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
    }

    /// <summary>The configured key, else the key file (made on first use), else — when the file cannot be written — a key for this process only.</summary>
    public static SymmetricSecurityKey LoadKey(SignInSettings settings, string contentRoot, ILogger log)
    {
        if (!string.IsNullOrWhiteSpace(settings.TokenKey))
        {
            byte[] configured;
            try
            {
                configured = Convert.FromBase64String(settings.TokenKey);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{SignInSettings.Section}:TokenKey is not base64.");
            }
            if (configured.Length < 32)
                throw new InvalidOperationException($"{SignInSettings.Section}:TokenKey must be at least 32 bytes (it is {configured.Length}).");
            return new SymmetricSecurityKey(configured);
        }
        var path = Path.GetFullPath(settings.TokenKeyFile, contentRoot);
        try
        {
            if (File.Exists(path))
                return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
            var generated = RandomNumberGenerator.GetBytes(64);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(generated));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            log.LogWarning("No {Section}:TokenKey configured: generated a development key in {Path}", SignInSettings.Section, path);
            return new SymmetricSecurityKey(generated);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            log.LogWarning("No {Section}:TokenKey configured and {Path} is unusable ({Error}): tokens are good for this process only",
                SignInSettings.Section, path, e.Message);
            return new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64));
        }
    }
}
