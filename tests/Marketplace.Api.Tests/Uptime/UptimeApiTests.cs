using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.Marketplace.Uptime;
using IoNet.MarketplaceApi.Tests.Devices;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Uptime;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Uptime;

/// <summary>
/// Heartbeats over HTTP against the real service and PostgreSQL: beats signed by the device key the owner registered
/// for proof of work, on the test's clock (10 s interval), and the sweep run by the test at the clock's time.
/// </summary>
public sealed class UptimeApiTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Marketplace:Uptime:HeartbeatInterval"] = "00:00:10",
        ["Marketplace:Uptime:SweepEnabled"] = "false",
    };

    private WebApplicationFactory<Program>? _factory;

    private WebApplicationFactory<Program> Factory => _factory ??= app.Replica(Settings, tokensFollowClock: true);

    private sealed record Supplier(HttpClient Http, Guid Device, Keypair DeviceKey);

    private async Task<Supplier> SupplierAsync(bool setKey = true)
    {
        using var wallet = Keypair.Generate();
        var http = MarketplaceApp.ClientOf(Factory, await app.SignInAsync(wallet, MarketplaceApp.ClientOf(Factory)));
        using var registered = await http.PostAsJsonAsync("/api/devices", DevicesApiTests.H100Box(), Ct);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        var device = (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var key = Keypair.Generate();
        if (setKey)
        {
            using var set = await http.PutAsJsonAsync($"/api/proof-of-work/devices/{device}/key", new { publicKey = key.PublicKey.ToString() }, Ct);
            set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Ct));
        }
        return new Supplier(http, device, key);
    }

    private static Task<HttpResponseMessage> BeatAsync(Supplier s, DateTimeOffset at, Keypair? signer = null)
    {
        var beat = Heartbeat.Sign(s.Device, at, signer ?? s.DeviceKey);
        return s.Http.PostAsJsonAsync($"/api/devices/{s.Device}/heartbeats",
            new { at = beat.At.ToUnixTimeMilliseconds(), signature = beat.Signature.ToString() }, Ct);
    }

    private async Task BeatAcceptedAsync(Supplier s)
    {
        using var response = await BeatAsync(s, app.Clock.GetUtcNow());
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
    }

    private static Task<JsonElement> UptimeAsync(Supplier s) => s.Http.GetFromJsonAsync<JsonElement>($"/api/devices/{s.Device}/uptime", Ct);

    private static async Task<string> DeviceStatusAsync(Supplier s) =>
        (await s.Http.GetFromJsonAsync<JsonElement>($"/api/devices/{s.Device}", Ct)).GetProperty("status").GetString()!;

    private Task<int> SweepAsync() => Factory.Services.GetRequiredService<UptimeSweep>().SweepAsync(app.Clock.GetUtcNow(), Ct);

    [Fact]
    public async Task beats_every_interval_are_accepted_and_fill_the_hour_buckets_with_green_time()
    {
        var s = await SupplierAsync();
        (await UptimeAsync(s)).GetProperty("status").GetString().ShouldBe("Unknown");

        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
                app.Clock.Advance(TimeSpan.FromSeconds(10));
            await BeatAcceptedAsync(s);
        }

        var uptime = await UptimeAsync(s);
        uptime.GetProperty("status").GetString().ShouldBe("Up");
        uptime.GetProperty("beats").GetInt64().ShouldBe(4);
        uptime.GetProperty("heartbeatIntervalSeconds").GetDouble().ShouldBe(10);
        uptime.GetProperty("hours").EnumerateArray().Sum(h => h.GetProperty("greenMilliseconds").GetInt32()).ShouldBe(30_000);
        uptime.GetProperty("gaps").GetArrayLength().ShouldBe(0);
        (await DeviceStatusAsync(s)).ShouldBe("Idle");
    }

    [Fact]
    public async Task a_beat_signed_by_another_key_is_forbidden_a_replay_conflicts_and_a_skewed_clock_is_unprocessable()
    {
        var s = await SupplierAsync();
        var now = app.Clock.GetUtcNow();
        using var stranger = Keypair.Generate();

        (await (await BeatAsync(s, now, stranger)).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("signature");
        using (var first = await BeatAsync(s, now))
            first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await (await BeatAsync(s, now)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await BeatAsync(s, now - TimeSpan.FromSeconds(5))).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await BeatAsync(s, now + TimeSpan.FromMinutes(2))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);

        (await UptimeAsync(s)).GetProperty("beats").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task a_device_without_a_key_is_forbidden_an_unknown_one_is_not_found_and_a_malformed_signature_is_a_bad_request()
    {
        var keyless = await SupplierAsync(setKey: false);
        await (await BeatAsync(keyless, app.Clock.GetUtcNow())).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var unknown = keyless with { Device = Guid.NewGuid() };
        await (await BeatAsync(unknown, app.Clock.GetUtcNow())).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var malformed = await keyless.Http.PostAsJsonAsync($"/api/devices/{keyless.Device}/heartbeats", new { at = 1, signature = new string('0', 64) }, Ct);
        await malformed.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using var missing = await keyless.Http.GetAsync($"/api/devices/{Guid.NewGuid()}/uptime", Ct);
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task three_missed_beats_make_the_device_down_and_its_next_beat_brings_it_back_to_idle()
    {
        var s = await SupplierAsync();
        app.Clock.Set(DateTimeOffset.FromUnixTimeMilliseconds(app.Clock.GetUtcNow().ToUnixTimeMilliseconds() + 1)); // beats carry whole ms
        await BeatAcceptedAsync(s);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await SweepAsync();
        (await DeviceStatusAsync(s)).ShouldBe("Idle"); // exactly three intervals: not yet

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        (await SweepAsync()).ShouldBeGreaterThanOrEqualTo(1);
        (await DeviceStatusAsync(s)).ShouldBe("Down");
        var down = await UptimeAsync(s);
        down.GetProperty("status").GetString().ShouldBe("Down");
        down.GetProperty("gaps").EnumerateArray().Single().GetProperty("open").GetBoolean().ShouldBeTrue();
        down.GetProperty("anomalies").EnumerateArray().Single().GetString()!.ShouldStartWith("silent since");
        (await SweepAsync()).ShouldBe(0); // swept once

        app.Clock.Advance(TimeSpan.FromSeconds(9));
        await BeatAcceptedAsync(s);

        (await DeviceStatusAsync(s)).ShouldBe("Idle");
        var back = await UptimeAsync(s);
        back.GetProperty("status").GetString().ShouldBe("Up");
        var gap = back.GetProperty("gaps").EnumerateArray().Single();
        gap.GetProperty("open").GetBoolean().ShouldBeFalse();
        gap.GetProperty("seconds").GetDouble().ShouldBe(40);
        back.GetProperty("hours").EnumerateArray().Sum(h => h.GetProperty("greenMilliseconds").GetInt32()).ShouldBe(10_000);
    }

    [Fact]
    public async Task a_paused_device_stays_paused_when_it_goes_silent()
    {
        var s = await SupplierAsync();
        await BeatAcceptedAsync(s);
        (await s.Http.PostAsync($"/api/devices/{s.Device}/pause", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await SweepAsync();
        (await DeviceStatusAsync(s)).ShouldBe("Paused");
        (await UptimeAsync(s)).GetProperty("status").GetString().ShouldBe("Down");
        await BeatAcceptedAsync(s);
        (await DeviceStatusAsync(s)).ShouldBe("Paused");
    }

    [Fact]
    public async Task five_days_of_silence_make_a_down_device_inactive_and_a_beat_brings_it_back()
    {
        var s = await SupplierAsync();
        await BeatAcceptedAsync(s);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await SweepAsync();
        (await DeviceStatusAsync(s)).ShouldBe("Down");

        app.Clock.Advance(TimeSpan.FromDays(5));
        await SweepAsync();
        (await DeviceStatusAsync(s)).ShouldBe("Inactive");
        (await UptimeAsync(s)).GetProperty("status").GetString().ShouldBe("Inactive");

        await BeatAcceptedAsync(s);
        (await DeviceStatusAsync(s)).ShouldBe("Idle");
    }

    [Fact]
    public async Task the_uptime_reader_returns_the_buckets_of_devices_that_beat_and_leaves_out_the_others()
    {
        var beating = await SupplierAsync();
        var silent = await SupplierAsync();
        await BeatAcceptedAsync(beating);
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        await BeatAcceptedAsync(beating);

        var reader = Factory.Services.GetRequiredService<IDeviceUptimeReader>();
        var read = await reader.ReadAsync([beating.Device, silent.Device], Ct);

        read.Keys.ShouldBe([beating.Device]);
        var uptime = read[beating.Device];
        uptime.Beats.ShouldBe(2);
        uptime.GreenMillisecondsByHour.Values.Sum().ShouldBe(10_000);
        uptime.StatusAt(app.Clock.GetUtcNow(), reader.Rules).ShouldBe(UptimeStatus.Up);
        reader.Rules.HeartbeatInterval.ShouldBe(TimeSpan.FromSeconds(10));
    }
}
