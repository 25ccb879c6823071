using IoNet.Marketplace.SignIn;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.SignIn;

/// <summary>The command-line wallet tools the README's curl examples use.</summary>
public sealed class SignInCommandsTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task keygen_then_sign_in_prints_a_token_that_the_api_accepts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"wallet-{Guid.NewGuid():N}.json");
        try
        {
            var output = new StringWriter();
            (await SignInCommands.RunAsync(["keygen", file], null, TextReader.Null, output, TextWriter.Null)).ShouldBe(0);
            using var wallet = Keypair.Load(file);
            output.ToString().Trim().ShouldBe(wallet.PublicKey.ToString());
            (await SignInCommands.RunAsync(["keygen", file], null, TextReader.Null, TextWriter.Null, TextWriter.Null)).ShouldBe(1);

            var token = new StringWriter();
            using var http = app.Client();
            (await SignInCommands.RunAsync(["sign-in", "--keypair", file], http, TextReader.Null, token, TextWriter.Null)).ShouldBe(0);

            using var authed = app.Client(token.ToString().Trim());
            (await authed.GetAsync("/api/devices/mine", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task sign_prints_the_base58_signature_of_standard_input_exactly()
    {
        var file = Path.Combine(Path.GetTempPath(), $"wallet-{Guid.NewGuid():N}.json");
        using var wallet = Keypair.Generate();
        wallet.Save(file);
        try
        {
            var output = new StringWriter();
            const string message = "d wants you to sign in with your Solana account:\nA\n\nURI: u";

            (await SignInCommands.RunAsync(["sign", "--keypair", file], null, new StringReader(message), output, TextWriter.Null)).ShouldBe(0);

            Signature.Parse(output.ToString().Trim()).ShouldBe(wallet.Sign(System.Text.Encoding.UTF8.GetBytes(message)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task a_missing_keypair_file_is_one_line_on_stderr_and_exit_code_1()
    {
        var errors = new StringWriter();

        var code = await SignInCommands.RunAsync(["sign-in", "--keypair", "/nonexistent/wallet.json"], null, TextReader.Null, TextWriter.Null, errors);

        code.ShouldBe(1);
        errors.ToString().Trim().Split('\n').Length.ShouldBe(1);
        errors.ToString().ShouldContain("/nonexistent/wallet.json");
    }
}
