using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.Solana.Keys;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IoNet.MarketplaceApi.Tests.Support;

/// <summary>A signed-in wallet and its HTTP client on one replica of the marketplace.</summary>
public sealed class Trader(Keypair wallet, HttpClient http, bool ownsWallet = true) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Keypair Wallet { get; } = wallet;

    public HttpClient Http { get; } = http;

    public string Address => Wallet.PublicKey.ToString();

    public static async Task<Trader> SignInAsync(MarketplaceApp app, Keypair? wallet = null, WebApplicationFactory<Program>? replica = null)
    {
        var owns = wallet is null;
        wallet ??= Keypair.Generate();
        var http = MarketplaceApp.ClientOf(replica ?? app.Factory);
        var token = await app.SignInAsync(wallet, http);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new Trader(wallet, http, owns);
    }

    /// <summary>Registers a device and returns its id.</summary>
    public async Task<Guid> RegisterDeviceAsync(string gpuModel = "H100", int gpus = 1, string country = "DE",
        string connectivity = "Ultra", string security = "Soc2")
    {
        using var response = await Http.PostAsJsonAsync("/api/devices", new
        {
            gpuModel, gpuCount = gpus, cpuClass = "EPYC-9654", ramGiB = 512, country, city = "Somewhere", connectivity, security,
        }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> AskAsync(Guid device, ulong pricePerGpuHour, int maxHours = 48, string[]? currencies = null,
        DateTimeOffset? availableUntil = null, DateTimeOffset? now = null) =>
        Http.PostAsJsonAsync("/api/asks", new
        {
            deviceId = device, pricePerGpuHour, minHours = 1, maxHours,
            availableUntil = availableUntil ?? (now ?? DateTimeOffset.UtcNow).AddDays(30),
            currencies = currencies ?? ["Usdc", "Iosd", "Io"],
        }, Ct);

    /// <summary>Places an ask that must be accepted; returns its view.</summary>
    public async Task<JsonElement> PlaceAskAsync(Guid device, ulong pricePerGpuHour, int maxHours = 48, string[]? currencies = null, DateTimeOffset? now = null)
    {
        using var response = await AskAsync(device, pricePerGpuHour, maxHours, currencies, now: now);
        return await CreatedAsync(response);
    }

    public Task<HttpResponseMessage> BidAsync(string gpuModel, int gpus, ulong maxPricePerGpuHour, int hours = 10, string currency = "Iosd",
        bool singleSupplier = false, string[]? countries = null, int expiresInMinutes = 60) =>
        Http.PostAsJsonAsync("/api/bids", new
        {
            gpuModel, gpuCount = gpus, maxPricePerGpuHour, hours, currency, singleSupplier, countries = countries ?? [], expiresInMinutes,
        }, Ct);

    public async Task<JsonElement> PlaceBidAsync(string gpuModel, int gpus, ulong maxPricePerGpuHour, int hours = 10, string currency = "Iosd")
    {
        using var response = await BidAsync(gpuModel, gpus, maxPricePerGpuHour, hours, currency);
        return await CreatedAsync(response);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> PostAsync(string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = body is null ? await Http.PostAsync(path, null, Ct) : await Http.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> RentalAsync(Guid rental) => GetAsync($"/api/rentals/{rental}");

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public void Dispose()
    {
        Http.Dispose();
        if (ownsWallet)
            Wallet.Dispose();
    }
}

public static class Waiting
{
    /// <summary>
    /// Polls <paramref name="read"/> until <paramref name="done"/> holds: waits for an event another process (the async
    /// daemon, the indexer) causes. The guard only keeps a broken run from hanging; it is no speed check.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var guard = Stopwatch.StartNew();
        T last;
        while (!done(last = await read()))
        {
            if (guard.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"{what} did not happen (a guard against hanging); last seen: {last}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return last;
    }
}
