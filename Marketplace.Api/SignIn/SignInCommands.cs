using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IoNet.Solana;
using IoNet.Solana.Keys;

namespace IoNet.Marketplace.SignIn;

/// <summary>
/// Command-line wallet tools, so the sign-in flow can be driven with curl (README.md):
/// <code>
/// keygen FILE                          a new Solana CLI keypair file; prints its address
/// sign --keypair FILE                  signs standard input (the message text, exactly) and prints the base58 signature
/// sign-in --keypair FILE [--url URL]   nonce, sign, verify against a running API; prints the access token
/// </code>
/// </summary>
public static class SignInCommands
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string> { "keygen", "sign", "sign-in" };

    public static Task<int> RunAsync(string[] args) => RunAsync(args, null, Console.In, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, HttpClient? http, TextReader input, TextWriter output, TextWriter errors)
    {
        try
        {
            switch (args[0])
            {
                case "keygen":
                    if (args.Length != 2)
                        return Usage(errors);
                    if (File.Exists(args[1]))
                        throw new SolanaException($"{args[1]} exists; keygen does not overwrite a keypair.");
                    using (var generated = Keypair.Generate())
                    {
                        generated.Save(args[1]);
                        await output.WriteLineAsync(generated.PublicKey.ToString());
                    }
                    return 0;
                case "sign":
                    using (var keypair = Keypair.Load(Option(args, "--keypair") ?? throw new SolanaException("--keypair FILE is required")))
                    {
                        var message = await input.ReadToEndAsync();
                        await output.WriteLineAsync(keypair.Sign(Encoding.UTF8.GetBytes(message)).ToString());
                    }
                    return 0;
                case "sign-in":
                    using (var keypair = Keypair.Load(Option(args, "--keypair") ?? throw new SolanaException("--keypair FILE is required")))
                    {
                        var url = new Uri(Option(args, "--url") ?? "http://127.0.0.1:5080");
                        using var owned = http is null ? new HttpClient { BaseAddress = url } : null;
                        await output.WriteLineAsync(await SignInAsync(http ?? owned!, keypair));
                    }
                    return 0;
                default:
                    return Usage(errors);
            }
        }
        catch (Exception e) when (e is SolanaException or HttpRequestException or IOException or UriFormatException)
        {
            await errors.WriteLineAsync($"ionet marketplace {args[0]}: {e.Message}");
            return 1;
        }
    }

    /// <summary>The whole flow: ask a nonce, sign the server's message, trade it for an access token.</summary>
    public static async Task<string> SignInAsync(HttpClient http, Keypair wallet, CancellationToken cancellationToken = default)
    {
        using var nonce = await http.PostAsJsonAsync("/api/auth/nonce", new { address = wallet.PublicKey.ToString() }, cancellationToken);
        var issued = await ReadAsync(nonce, cancellationToken);
        var message = issued.GetProperty("message").GetString()!;
        var signature = wallet.Sign(Encoding.UTF8.GetBytes(message)).ToString();
        using var verify = await http.PostAsJsonAsync("/api/auth/verify", new { message, signature }, cancellationToken);
        return (await ReadAsync(verify, cancellationToken)).GetProperty("accessToken").GetString()!;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int Usage(TextWriter errors)
    {
        errors.WriteLine("usage: IoNet.Marketplace.Api keygen FILE | sign --keypair FILE < message | sign-in --keypair FILE [--url URL]");
        return 2;
    }
}
