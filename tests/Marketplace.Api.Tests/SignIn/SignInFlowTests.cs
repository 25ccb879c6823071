using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Marketplace.SignIn;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IoNet.MarketplaceApi.Tests.SignIn;

public sealed class SignInFlowTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sign(Keypair wallet, string message) => wallet.Sign(Encoding.UTF8.GetBytes(message)).ToString();

    private static Task<HttpResponseMessage> VerifyAsync(HttpClient http, string message, string signature) =>
        http.PostAsJsonAsync("/api/auth/verify", new { message, signature }, Ct);

    private static SignInMessage Parse(string text)
    {
        SignInMessage.TryParse(text, out var message, out var error).ShouldBeTrue(error);
        return message!;
    }

    private static JsonObject InputOf(JsonElement nonce) => new()
    {
        ["domain"] = nonce.GetProperty("domain").GetString(), ["address"] = nonce.GetProperty("address").GetString(),
        ["statement"] = nonce.GetProperty("statement").GetString(), ["uri"] = nonce.GetProperty("uri").GetString(),
        ["version"] = nonce.GetProperty("version").GetString(), ["chainId"] = nonce.GetProperty("chainId").GetString(),
        ["nonce"] = nonce.GetProperty("nonce").GetString(), ["issuedAt"] = nonce.GetProperty("issuedAt").GetString(),
        ["expirationTime"] = nonce.GetProperty("expirationTime").GetString(),
    };

    [Fact]
    public async Task a_wallet_signs_the_message_the_wallet_standard_builds_from_the_nonce_fields_and_gets_a_token()
    {
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        using var wallet = Keypair.FromSeed(seed);
        using var http = app.Client();
        var nonce = await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString());

        // A wallet (Phantom, Solflare) builds the text itself from the input fields with the wallet-standard code.
        var created = await WalletStandard.RunAsync(
            new JsonObject { ["op"] = "create", ["input"] = InputOf(nonce) });
        var text = created[0]!["text"]!.GetValue<string>();
        text.ShouldBe(nonce.GetProperty("message").GetString());
        var signed = await WalletStandard.RunOneAsync(new JsonObject { ["op"] = "sign", ["text"] = text, ["seed"] = Convert.ToHexStringLower(seed) });
        var signature = Convert.ToBase64String(Convert.FromHexString(signed["signature"]!.GetValue<string>()));

        using var verify = await VerifyAsync(http, text, signature);

        verify.StatusCode.ShouldBe(HttpStatusCode.OK, await verify.Content.ReadAsStringAsync(Ct));
        var token = await verify.Content.ReadFromJsonAsync<JsonElement>(Ct);
        token.GetProperty("wallet").GetString().ShouldBe(wallet.PublicKey.ToString());
        token.GetProperty("tokenType").GetString().ShouldBe("Bearer");
        using var authed = app.Client(token.GetProperty("accessToken").GetString());
        (await authed.GetAsync("/api/devices/mine", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task the_wallet_standard_verifies_what_our_wallet_tools_sign()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client();
        var nonce = await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString());
        var text = nonce.GetProperty("message").GetString()!;

        var answer = await WalletStandard.RunOneAsync(new JsonObject
        {
            ["op"] = "verify", ["input"] = InputOf(nonce), ["text"] = text,
            ["signature"] = Convert.ToHexStringLower(wallet.Sign(Encoding.UTF8.GetBytes(text)).ToArray()),
            ["publicKey"] = Convert.ToHexStringLower(wallet.PublicKey.ToArray()),
        });

        answer["verified"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task a_forged_signature_is_refused_and_does_not_burn_the_nonce()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client();
        var message = (await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString())).GetProperty("message").GetString()!;
        var forged = new Signature(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)).ToString();

        using var refused = await VerifyAsync(http, message, forged);

        (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("signature");
        (await VerifyAsync(http, message, Sign(wallet, message))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_signature_by_another_wallet_is_refused()
    {
        using var wallet = Keypair.Generate();
        using var other = Keypair.Generate();
        using var http = app.Client();
        var message = (await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString())).GetProperty("message").GetString()!;

        using var refused = await VerifyAsync(http, message, Sign(other, message));

        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task another_wallet_cannot_use_a_nonce_issued_to_someone_else()
    {
        using var wallet = Keypair.Generate();
        using var other = Keypair.Generate();
        using var http = app.Client();
        var message = Parse((await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString())).GetProperty("message").GetString()!);
        var theirs = (message with { Address = other.PublicKey.ToString() }).ToText();

        using var refused = await VerifyAsync(http, theirs, Sign(other, theirs));

        (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("another address");
    }

    [Fact]
    public async Task a_reused_nonce_is_refused()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client();
        var message = (await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString())).GetProperty("message").GetString()!;
        (await VerifyAsync(http, message, Sign(wallet, message))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var again = await VerifyAsync(http, message, Sign(wallet, message));

        (await again.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("already used");
    }

    [Fact]
    public async Task a_nonce_never_issued_is_refused()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client();
        var message = Parse((await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString())).GetProperty("message").GetString()!);
        var invented = (message with { Nonce = "inventedNonce12345" }).ToText();

        using var refused = await VerifyAsync(http, invented, Sign(wallet, invented));

        (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("not issued");
    }

    [Fact]
    public async Task an_expired_nonce_is_refused()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client();
        var start = app.Clock.GetUtcNow();
        var message = Parse((await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString())).GetProperty("message").GetString()!);
        var serverText = message.ToText();
        // A wallet may leave Expiration Time out: then the nonce's own expiry in PostgreSQL is what refuses it.
        var noExpiry = (message with { ExpirationTime = null }).ToText();
        try
        {
            app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));

            using var refused = await VerifyAsync(http, noExpiry, Sign(wallet, noExpiry));
            using var refusedToo = await VerifyAsync(http, serverText, Sign(wallet, serverText));

            (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("nonce has expired");
            (await refusedToo.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("expired");
        }
        finally
        {
            app.Clock.Set(start);
        }
    }

    [Theory]
    [InlineData("domain", "evil.example", "this server is")]
    [InlineData("uri", "https://evil.example", "URI")]
    [InlineData("chain", "solana:mainnet", "Chain ID")]
    [InlineData("version", "2", "Version")]
    [InlineData("issuedAt", "2020-01-01T00:00:00.000Z", "too old")]
    [InlineData("issuedAt", "2999-01-01T00:00:00.000Z", "future")]
    [InlineData("issuedAt", "yesterday", "RFC 3339")]
    [InlineData("notBefore", "2999-01-01T00:00:00Z", "not valid yet")]
    public async Task a_message_that_differs_from_what_the_server_asked_is_refused(string field, string value, string why)
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client();
        var message = Parse((await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString())).GetProperty("message").GetString()!);
        var changed = field switch
        {
            "domain" => message with { Domain = value },
            "uri" => message with { Uri = value },
            "chain" => message with { ChainId = value },
            "version" => message with { Version = value },
            "issuedAt" => message with { IssuedAt = value },
            _ => message with { NotBefore = value },
        };
        var text = changed.ToText();

        using var refused = await VerifyAsync(http, text, Sign(wallet, text));

        (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain(why);
    }

    [Theory]
    [InlineData("not a message at all", "valid")]
    [InlineData("127.0.0.1:5080 wants you to sign in with your Solana account:\nnot-base58-0OIl", "valid")]
    [InlineData("", "valid")]
    public async Task malformed_messages_and_signatures_are_400_with_the_field_named(string message, string signatureKind)
    {
        using var http = app.Client();
        var signature = signatureKind == "valid" ? new Signature(new byte[64]).ToString() : "!!";

        using var response = await VerifyAsync(http, message, signature);
        using var badSignature = await VerifyAsync(http, "127.0.0.1:5080 wants you to sign in with your Solana account:\n" + Keypair.Generate().PublicKey, "abc=");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("Message", out _).ShouldBeTrue(problem.ToString());
        (await badSignature.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("Signature", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task writes_without_a_token_are_401_problems()
    {
        using var http = app.Client();

        using var response = await http.PostAsJsonAsync("/api/devices", new { }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task an_expired_token_is_refused()
    {
        using var wallet = Keypair.Generate();
        var start = app.Clock.GetUtcNow();
        string token;
        try
        {
            app.Clock.Set(start - TimeSpan.FromHours(1));
            token = await app.SignInAsync(wallet);
        }
        finally
        {
            app.Clock.Set(start);
        }
        using var http = app.Client(token);

        using var response = await http.GetAsync("/api/devices/mine", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldContain("expired");
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_refused()
    {
        using var wallet = Keypair.Generate();
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "ionet-marketplace", Audience = "ionet-marketplace", Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = wallet.PublicKey.ToString() },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[64]), SecurityAlgorithms.HmacSha256),
        });
        using var http = app.Client(forged);

        using var response = await http.GetAsync("/api/devices/mine", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task two_replicas_accept_one_signed_message_only_once()
    {
        using var wallet = Keypair.Generate();
        using var first = app.Client();
        using var second = MarketplaceApp.ClientOf(app.Replica());
        var message = (await MarketplaceApp.NonceAsync(first, wallet.PublicKey.ToString())).GetProperty("message").GetString()!;
        var signature = Sign(wallet, message);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => VerifyAsync(i % 2 == 0 ? first : second, message, signature)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized).ShouldBe(7);
    }
}
