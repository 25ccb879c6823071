using System.Net.Http.Headers;
using System.Text;

namespace IoNet.Benchmarks.Http;

/// <summary>
/// POST /api/bids as a signed-in wallet per worker, each with a fresh Idempotency-Key: a bid that rests (no asks for
/// the model at that price), so every request takes the whole order path — validation, the order book's queue, the
/// engine, and the journal append in PostgreSQL — and none is cut short by a fill.
/// </summary>
public sealed class OrderPlacementTarget : IHttpLoadTarget
{
    public const string Body = """{"gpuModel":"RTX-3080","gpuCount":2,"maxPricePerGpuHour":1000,"hours":4,"currency":"Usdc","expiresInMinutes":60}""";

    private string[] _tokens = [];

    public string Name => "POST /api/bids (resting)";

    public async Task PrepareAsync(IReadOnlyList<HttpClient> workers, CancellationToken cancellationToken)
    {
        _tokens = new string[workers.Count];
        for (var i = 0; i < workers.Count; i++)
            _tokens[i] = await DeviceRegistrationTarget.SignInAsync(workers[i], cancellationToken);
    }

    public HttpRequestMessage CreateRequest(int worker, long sequence)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/bids") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[worker]);
        request.Headers.Add("Idempotency-Key", $"bench-bid-{worker}-{sequence}-{Guid.NewGuid():N}");
        return request;
    }
}
