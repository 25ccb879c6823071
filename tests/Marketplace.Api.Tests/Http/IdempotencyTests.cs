using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.MarketplaceApi.Tests.Devices;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.Http;

public sealed class IdempotencyTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Register(string key, object body) => new(HttpMethod.Post, "/api/devices")
    {
        Headers = { { "Idempotency-Key", key } },
        Content = JsonContent.Create(body),
    };

    private static async Task<int> CountMineAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/devices/mine", Ct)).GetProperty("items").GetArrayLength();

    [Fact]
    public async Task the_same_key_and_request_replays_the_first_response_and_registers_once()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client(await app.SignInAsync(wallet));
        var key = Guid.NewGuid().ToString();

        using var first = await http.SendAsync(Register(key, DevicesApiTests.H100Box()), Ct);
        using var again = await http.SendAsync(Register(key, DevicesApiTests.H100Box()), Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        again.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await again.Content.ReadAsStringAsync(Ct)).ShouldBe(await first.Content.ReadAsStringAsync(Ct));
        again.Headers.Location.ShouldBe(first.Headers.Location);
        again.Headers.GetValues("Idempotency-Replayed").ShouldBe(["true"]);
        (await CountMineAsync(http)).ShouldBe(1);
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_422()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client(await app.SignInAsync(wallet));
        var key = Guid.NewGuid().ToString();
        (await http.SendAsync(Register(key, DevicesApiTests.H100Box("Berlin")), Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var other = await http.SendAsync(Register(key, DevicesApiTests.H100Box("Paris")), Ct);

        await other.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        (await CountMineAsync(http)).ShouldBe(1);
    }

    [Fact]
    public async Task keys_belong_to_a_wallet()
    {
        using var first = Keypair.Generate();
        using var second = Keypair.Generate();
        using var firstHttp = app.Client(await app.SignInAsync(first));
        using var secondHttp = app.Client(await app.SignInAsync(second));
        var key = Guid.NewGuid().ToString();

        using var a = await firstHttp.SendAsync(Register(key, DevicesApiTests.H100Box()), Ct);
        using var b = await secondHttp.SendAsync(Register(key, DevicesApiTests.H100Box()), Ct);

        a.StatusCode.ShouldBe(HttpStatusCode.Created);
        b.StatusCode.ShouldBe(HttpStatusCode.Created);
        b.Headers.Contains("Idempotency-Replayed").ShouldBeFalse();
        (await CountMineAsync(secondHttp)).ShouldBe(1);
    }

    [Fact]
    public async Task concurrent_requests_with_one_key_on_two_replicas_register_one_device()
    {
        using var wallet = Keypair.Generate();
        var token = await app.SignInAsync(wallet);
        using var first = app.Client(token);
        using var second = MarketplaceApp.ClientOf(app.Replica(), token);
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? first : second).SendAsync(Register(key, DevicesApiTests.H100Box()), Ct)));

        // Each answer is the one registration (run or replayed) or 409 while it was still running; never a second device.
        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Created || a.StatusCode == HttpStatusCode.Conflict);
        answers.Count(a => a.StatusCode == HttpStatusCode.Created && !a.Headers.Contains("Idempotency-Replayed")).ShouldBe(1);
        (await CountMineAsync(first)).ShouldBe(1);
    }

    [Fact]
    public async Task a_key_longer_than_255_characters_is_400()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client(await app.SignInAsync(wallet));

        using var response = await http.SendAsync(Register(new string('k', 300), DevicesApiTests.H100Box()), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await CountMineAsync(http)).ShouldBe(0);
    }
}
