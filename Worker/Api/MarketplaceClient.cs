using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using IoNet.Solana.Keys;
using IoNet.Suppliers;
using IoNet.Suppliers.ProofOfWork;
using IoNet.Suppliers.Uptime;
using IoNet.Worker.Home;

namespace IoNet.Worker.Api;

/// <summary>
/// The marketplace's HTTP API as the worker uses it: Sign-In With Solana as the wallet (the token renewed before it
/// expires), registration, the device key, heartbeats and the proof-of-work exchange.
/// </summary>
public sealed class MarketplaceClient(HttpClient http, Keypair wallet) : IDisposable
{
    private readonly SemaphoreSlim _signIn = new(1, 1);
    private string? _token;
    private DateTimeOffset _expiresAt;

    public Uri BaseAddress => http.BaseAddress!;

    public static MarketplaceClient Create(string api, Keypair wallet) =>
        new(new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(100) }, wallet);

    /// <summary>The access token, signing in (nonce, sign the server's message, verify) when there is none or it expires within a minute.</summary>
    public async Task<string> TokenAsync(CancellationToken ct)
    {
        await _signIn.WaitAsync(ct);
        try
        {
            if (_token is not null && _expiresAt - TimeSpan.FromMinutes(1) > DateTimeOffset.UtcNow)
                return _token;
            var nonce = await ReadAsync(await http.PostAsJsonAsync("/api/auth/nonce", new { address = wallet.PublicKey.ToString() }, ct), "sign-in (nonce)", ct);
            var message = nonce.GetProperty("message").GetString()!;
            var signature = wallet.Sign(Encoding.UTF8.GetBytes(message)).ToString();
            var verified = await ReadAsync(await http.PostAsJsonAsync("/api/auth/verify", new { message, signature }, ct), "sign-in (verify)", ct);
            _token = verified.GetProperty("accessToken").GetString()!;
            _expiresAt = verified.GetProperty("expiresAt").GetDateTimeOffset();
            return _token;
        }
        finally
        {
            _signIn.Release();
        }
    }

    /// <summary>Registers a device; the idempotency key makes a retried registration (same device key) return the same device.</summary>
    public async Task<Guid> RegisterAsync(DeviceFacts facts, PublicKey deviceKey, CancellationToken ct)
    {
        using var request = await SignedAsync(HttpMethod.Post, "/api/devices", new
        {
            gpuModel = facts.GpuModel, gpuCount = facts.GpuCount, cpuClass = facts.CpuClass, ramGiB = facts.RamGiB,
            country = facts.Country, city = facts.City, connectivity = facts.Connectivity, security = facts.Security,
        }, ct);
        request.Headers.Add("Idempotency-Key", $"worker-register-{deviceKey}");
        return (await ReadAsync(await http.SendAsync(request, ct), "register", ct)).GetProperty("id").GetGuid();
    }

    public async Task SetDeviceKeyAsync(Guid device, PublicKey deviceKey, CancellationToken ct)
    {
        using var request = await SignedAsync(HttpMethod.Put, $"/api/proof-of-work/devices/{device}/key", new { publicKey = deviceKey.ToString() }, ct);
        await ReadAsync(await http.SendAsync(request, ct), "set the device key", ct);
    }

    /// <summary>Posts a beat signed now; the status code (202, or the problem's) and the body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> BeatAsync(Guid device, Keypair deviceKey, CancellationToken ct)
    {
        var beat = Heartbeat.Sign(device, DateTimeOffset.UtcNow, deviceKey);
        using var response = await http.PostAsJsonAsync($"/api/devices/{device}/heartbeats",
            new { at = beat.At.ToUnixTimeMilliseconds(), signature = beat.Signature.ToString() }, ct);
        return (response.StatusCode, await BodyAsync(response, ct));
    }

    public Task<JsonElement> DeviceAsync(Guid device, CancellationToken ct) => GetAsync($"/api/devices/{device}", ct);

    public Task<JsonElement> UptimeAsync(Guid device, CancellationToken ct) => GetAsync($"/api/devices/{device}/uptime", ct);

    public Task<JsonElement> ProofStandingAsync(Guid device, CancellationToken ct) => GetAsync($"/api/proof-of-work/devices/{device}", ct);

    /// <summary>The whole exchange: ask a challenge as the owner, solve, commit, open; the outcome ("Verified" or the failure) and its detail.</summary>
    public async Task<(string Outcome, string Detail, TimeSpan Solve)> ProveAsync(Guid device, Keypair deviceKey, IMatrixProductSolver solver, CancellationToken ct)
    {
        using var request = await SignedAsync(HttpMethod.Post, $"/api/proof-of-work/devices/{device}/challenges", null, ct);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var c = await ReadAsync(await http.SendAsync(request, ct), "ask a challenge", ct);
        return await AnswerAsync(c, deviceKey, solver, ct);
    }

    /// <summary>The challenges the server sent the device on its own (at random while it is hired), oldest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> OpenChallengesAsync(Guid device, CancellationToken ct) =>
        [.. (await GetAsync($"/api/proof-of-work/devices/{device}/challenges", ct)).EnumerateArray().Select(c => c.Clone())];

    /// <summary>Solves, commits and opens one challenge (as the server described it); the outcome and its detail.</summary>
    public async Task<(string Outcome, string Detail, TimeSpan Solve)> AnswerAsync(JsonElement c, Keypair deviceKey, IMatrixProductSolver solver, CancellationToken ct)
    {
        var challenge = new ProofOfWorkChallenge(
            c.GetProperty("id").GetGuid(), c.GetProperty("device").GetGuid(), Bytes32.ParseHex(c.GetProperty("seed").GetString()!),
            c.GetProperty("n").GetInt32(), c.GetProperty("k").GetInt32(), Bytes32.ParseHex(c.GetProperty("sampleCommitment").GetString()!),
            c.GetProperty("issuedAt").GetDateTimeOffset(), c.GetProperty("deadline").GetDateTimeOffset());
        var started = DateTimeOffset.UtcNow;
        var (answer, commitment) = await Task.Run(() => ProofOfWorkAnswer.Solve(challenge, solver, deviceKey, ct), ct);
        var solve = DateTimeOffset.UtcNow - started;
        var accepted = await ReadAsync(await http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge.Id}/commitment", new
        {
            challenge = commitment.Challenge, root = commitment.Root.ToHex(), elapsedMilliseconds = commitment.ElapsedMilliseconds,
            signature = commitment.Signature.ToString(),
        }, ct), "commit", ct);
        var opening = answer.Open(challenge, Bytes32.ParseHex(accepted.GetProperty("salt").GetString()!));
        using var opened = await http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge.Id}/opening", new
        {
            challenge = opening.Challenge,
            rows = opening.Rows.Select(r => new
            {
                index = r.Index,
                values = Convert.ToBase64String(MemoryMarshal.AsBytes(r.Values.AsSpan())),
                proof = r.Proof.Select(p => p.ToHex()).ToArray(),
            }).ToArray(),
        }, ct);
        var body = await BodyAsync(opened, ct);
        if (opened.StatusCode == HttpStatusCode.UnprocessableEntity && body.TryGetProperty("failure", out var failure))
            return (failure.GetString() ?? "Failed", Text(body, "detail"), solve);
        if (!opened.IsSuccessStatusCode)
            throw Refused("open the rows", opened.StatusCode, body);
        return (body.GetProperty("outcome").GetString()!, Text(body, "detail"), solve);
    }

    /// <summary>The unsigned Stake transaction for <paramref name="amount"/> IO base units (base64; the wallet signs it).</summary>
    public async Task<JsonElement> StakeTransactionAsync(Guid device, ulong amount, CancellationToken ct)
    {
        using var request = await SignedAsync(HttpMethod.Post, $"/api/devices/{device}/stake", new { amount }, ct);
        return await ReadAsync(await http.SendAsync(request, ct), "ask the stake transaction", ct);
    }

    public Task<JsonElement> StakeAsync(Guid device, CancellationToken ct) => GetAsync($"/api/devices/{device}/stake", ct);

    private async Task<JsonElement> GetAsync(string path, CancellationToken ct) => await ReadAsync(await http.GetAsync(path, ct), $"GET {path}", ct);

    private async Task<HttpRequestMessage> SignedAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(ct));
        return request;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        using (response)
        {
            var body = await BodyAsync(response, ct);
            return response.IsSuccessStatusCode ? body : throw Refused(what, response.StatusCode, body);
        }
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(new { detail = text.Length > 200 ? text[..200] : text })).RootElement.Clone();
        }
    }

    /// <summary>A refusal as one line: what failed, the status and the problem's detail (or its field errors).</summary>
    public static MarketplaceRefusal Refused(string what, HttpStatusCode status, JsonElement body)
    {
        var detail = Text(body, "detail");
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            detail = string.Join("; ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(v => $"{e.Name}: {v.GetString()}")));
        return new MarketplaceRefusal(status, $"{what}: {(int)status} {(detail.Length > 0 ? detail : Text(body, "title"))}".TrimEnd());
    }

    private static string Text(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    public void Dispose()
    {
        http.Dispose();
        _signIn.Dispose();
    }
}

/// <summary>The marketplace answered a request with an error status.</summary>
public sealed class MarketplaceRefusal(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
