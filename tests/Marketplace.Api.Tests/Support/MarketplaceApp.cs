using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IoNet.Solana.Keys;
using IoNet.TestSupport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Support;

/// <summary>
/// The real Marketplace.Api in process (WebApplicationFactory) on its own PostgreSQL schema, with a clock the tests move
/// and settings they choose (rate limits, operators). Generous rate limits unless a test asks for others.
/// </summary>
public sealed class MarketplaceApp : IAsyncLifetime
{
    public const string TokenKey = "dGVzdC1vbmx5LWtleS1mb3ItdGhlLW1hcmtldHBsYWNlLXRlc3RzLTY0LWJ5dGVzLWxvbmctZW5vdWdoISE=";

    private readonly PostgresSchema _schema = new();
    private readonly List<WebApplicationFactory<Program>> _factories = [];

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>An operator wallet (Marketplace:OperatorWallets).</summary>
    public Keypair Operator { get; } = Keypair.Generate();

    public string Schema => _schema.Name;

    /// <summary>The database the schema is in (for another process on the same store: the indexer).</summary>
    public string ConnectionString => _schema.ConnectionString;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _schema.InitializeAsync();
        Factory = Replica();
    }

    /// <summary>
    /// Another instance of the service on the same database and schema (a second replica), with extra settings.
    /// <paramref name="tokensFollowClock"/>: access tokens live a day and are checked against <see cref="Clock"/> (not
    /// the machine's), for tests that move the clock by more than a token's lifetime.
    /// </summary>
    public WebApplicationFactory<Program> Replica(IReadOnlyDictionary<string, string>? settings = null, bool tokensFollowClock = false)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("IONET_DB", _schema.ConnectionString);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Marketplace:Schema", _schema.Name);
            b.UseSetting("Marketplace:SignIn:TokenKey", TokenKey);
            b.UseSetting("Marketplace:OperatorWallets:0", Operator.PublicKey.ToString());
            b.UseSetting("Marketplace:RateLimits:PerIp:Burst", "100000");
            b.UseSetting("Marketplace:RateLimits:PerIp:PerMinute", "100000");
            b.UseSetting("Marketplace:RateLimits:PerWallet:Burst", "100000");
            b.UseSetting("Marketplace:RateLimits:PerWallet:PerMinute", "100000");
            b.UseSetting("Marketplace:RateLimits:SignIn:Burst", "100000");
            b.UseSetting("Marketplace:RateLimits:SignIn:PerMinute", "100000");
            if (tokensFollowClock)
                b.UseSetting("Marketplace:SignIn:TokenLifetime", "1.00:00:00");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
                b.UseSetting(key, value);
            b.ConfigureTestServices(s =>
            {
                s.AddSingleton<TimeProvider>(Clock);
                if (tokensFollowClock)
                    s.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
                        o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, p) =>
                        {
                            var now = Clock.GetUtcNow().UtcDateTime;
                            return (notBefore is null || notBefore <= now + p.ClockSkew) && (expires is null || expires >= now - p.ClockSkew);
                        });
            });
        });
        _factories.Add(factory);
        return factory;
    }

    public HttpClient Client(string? token = null) => ClientOf(Factory, token);

    public static HttpClient ClientOf(WebApplicationFactory<Program> factory, string? token = null)
    {
        var client = factory.CreateClient();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The sign-in flow for <paramref name="wallet"/>: nonce, sign the server's message, verify; the token.</summary>
    public async Task<string> SignInAsync(Keypair wallet, HttpClient? client = null)
    {
        using var owned = client is null ? Client() : null;
        var http = client ?? owned!;
        var nonce = await NonceAsync(http, wallet.PublicKey.ToString());
        var message = nonce.GetProperty("message").GetString()!;
        using var verify = await http.PostAsJsonAsync("/api/auth/verify",
            new { message, signature = wallet.Sign(Encoding.UTF8.GetBytes(message)).ToString() }, TestContext.Current.CancellationToken);
        verify.EnsureSuccessStatusCode();
        return (await verify.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString()!;
    }

    public static async Task<JsonElement> NonceAsync(HttpClient http, string address)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/nonce", new { address }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in _factories)
            await factory.DisposeAsync();
        Operator.Dispose();
        await _schema.DisposeAsync();
    }
}

/// <summary>A clock the test sets; starts at the real time so tokens it signs are valid for JwtBearer's own clock.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset to) => _now = to;
}
