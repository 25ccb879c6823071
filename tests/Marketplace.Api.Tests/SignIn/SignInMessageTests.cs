using System.Text.Json.Nodes;
using IoNet.Marketplace.SignIn;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.SignIn;

/// <summary>Our SIWS text against @solana/wallet-standard-util's, byte for byte, and our strict parser.</summary>
public sealed class SignInMessageTests
{
    private static SignInMessage RandomMessage(Random random)
    {
        string? Maybe(string value) => random.Next(3) == 0 ? null : value;
        var statements = new[] { "Sign in to the IoNet marketplace.", "Grüße — ünïcode, emoji 🚀 and  double  spaces", "x" };
        return new SignInMessage
        {
            Domain = random.Next(2) == 0 ? "127.0.0.1:5080" : "cloud.example.org",
            Address = Keypair.Generate().PublicKey.ToString(),
            Statement = Maybe(statements[random.Next(statements.Length)]),
            Uri = Maybe("https://cloud.example.org/login?x=1"),
            Version = Maybe("1"),
            ChainId = Maybe(random.Next(2) == 0 ? "solana:localnet" : "solana:mainnet"),
            Nonce = Maybe("n" + random.Next()),
            IssuedAt = Maybe("2026-01-31T12:00:00.000Z"),
            ExpirationTime = Maybe("2026-01-31T12:05:00.000Z"),
            NotBefore = Maybe("2026-01-31T11:59:00Z"),
            RequestId = Maybe("req-" + random.Next()),
            Resources = random.Next(3) switch { 0 => null, 1 => ["https://a.example/1"], _ => ["ipfs://bafy", "https://b.example/2"] },
        };
    }

    private static JsonObject Input(SignInMessage m)
    {
        var input = new JsonObject { ["domain"] = m.Domain, ["address"] = m.Address };
        void Put(string key, string? value)
        {
            if (value is not null)
                input[key] = value;
        }
        Put("statement", m.Statement);
        Put("uri", m.Uri);
        Put("version", m.Version);
        Put("chainId", m.ChainId);
        Put("nonce", m.Nonce);
        Put("issuedAt", m.IssuedAt);
        Put("expirationTime", m.ExpirationTime);
        Put("notBefore", m.NotBefore);
        Put("requestId", m.RequestId);
        if (m.Resources is not null)
            input["resources"] = new JsonArray(m.Resources.Select(r => (JsonNode)r!).ToArray());
        return input;
    }

    [Fact]
    public async Task our_text_is_the_wallet_standard_text_byte_for_byte_for_200_field_combinations()
    {
        var random = new Random(20261207);
        var messages = Enumerable.Range(0, 200).Select(_ => RandomMessage(random)).ToArray();

        var answers = await WalletStandard.RunAsync(messages.SelectMany(m => new[]
        {
            new JsonObject { ["op"] = "create", ["input"] = Input(m) },
            new JsonObject { ["op"] = "parse", ["text"] = m.ToText() },
        }).ToArray());

        for (var i = 0; i < messages.Length; i++)
        {
            var theirs = answers[2 * i]!["text"]!.GetValue<string>();
            theirs.ShouldBe(messages[i].ToText());
            SignInMessage.TryParse(theirs, out var parsed, out var error).ShouldBeTrue(error);
            parsed!.ToText().ShouldBe(theirs);
            var theirParse = answers[2 * i + 1]!["parsed"]!;
            theirParse["address"]!.GetValue<string>().ShouldBe(messages[i].Address);
            (theirParse["nonce"]?.GetValue<string>()).ShouldBe(messages[i].Nonce);
            (theirParse["statement"]?.GetValue<string>()).ShouldBe(messages[i].Statement);
            (theirParse["expirationTime"]?.GetValue<string>()).ShouldBe(messages[i].ExpirationTime);
        }
    }

    [Fact]
    public async Task our_ed25519_keys_and_signatures_are_the_wallet_standards()
    {
        var seed = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
        using var keypair = Keypair.FromSeed(seed);
        const string text = "127.0.0.1:5080 wants you to sign in with your Solana account:\nabc";

        var answer = await WalletStandard.RunOneAsync(new JsonObject { ["op"] = "sign", ["text"] = text, ["seed"] = Convert.ToHexStringLower(seed) });

        answer["publicKey"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(keypair.PublicKey.ToArray()));
        answer["signature"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(keypair.Sign(System.Text.Encoding.UTF8.GetBytes(text)).ToArray()));
    }

    [Theory]
    [InlineData("d wants you to sign in with your Solana account:\r\nA", "control character")]
    [InlineData("d wants you to sign in with your Solana account:", "address")]
    [InlineData(" wants you to sign in with your Solana account:\nA", "first line")]
    [InlineData("my domain wants you to sign in with your Solana account:\nA", "white space")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n", "empty line")]
    [InlineData("d wants you to sign in with your Solana account:\nA\nURI: u", "empty line")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\n\nURI: u", "missing")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\nURI: u\nURI: v", "repeated or out of order")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\nNonce: n\nURI: u", "repeated or out of order")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\nURI: u\nColour: blue", "not a field")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\nURI: ", "empty")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\nURI: u\n", "not a field")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\nS\nURI: u", "empty line must follow the statement")]
    [InlineData("d wants you to sign in with your Solana account:\nA\n\nResources:\n- a\nURI: u", "Resources")]
    public void parsing_refuses_what_the_layout_does_not_allow(string text, string why)
    {
        SignInMessage.TryParse(text, out var message, out var error).ShouldBeFalse();
        message.ShouldBeNull();
        error.ShouldContain(why);
    }
}
