using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IoNet.Solana.Keys;

namespace IoNet.Benchmarks.Http;

/// <summary>POST /api/devices as a signed-in wallet per worker, each with a fresh Idempotency-Key: the whole write path.</summary>
public sealed class DeviceRegistrationTarget : IHttpLoadTarget
{
    public const string Body = """{"gpuModel":"H100","gpuCount":8,"cpuClass":"EPYC-9654","ramGiB":1024,"country":"DE","city":"Berlin","connectivity":"Ultra","security":"Soc2"}""";

    private string[] _tokens = [];

    public string Name => "POST /api/devices";

    public async Task PrepareAsync(IReadOnlyList<HttpClient> workers, CancellationToken cancellationToken)
    {
        _tokens = new string[workers.Count];
        for (var i = 0; i < workers.Count; i++)
            _tokens[i] = await SignInAsync(workers[i], cancellationToken);
    }

    public HttpRequestMessage CreateRequest(int worker, long sequence)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/devices") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[worker]);
        request.Headers.Add("Idempotency-Key", $"bench-{worker}-{sequence}-{Guid.NewGuid():N}");
        return request;
    }

    /// <summary>Sign-In With Solana with a fresh keypair: the server's message, signed as it is.</summary>
    public static async Task<string> SignInAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var wallet = Keypair.Generate();
        using var nonce = await http.PostAsJsonAsync("/api/auth/nonce", new { address = wallet.PublicKey.ToString() }, cancellationToken);
        nonce.EnsureSuccessStatusCode();
        var message = (await nonce.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("message").GetString()!;
        using var verify = await http.PostAsJsonAsync("/api/auth/verify",
            new { message, signature = wallet.Sign(Encoding.UTF8.GetBytes(message)).ToString() }, cancellationToken);
        verify.EnsureSuccessStatusCode();
        return (await verify.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString()!;
    }
}
