using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.Devices;

public sealed class DevicesApiTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static object H100Box(string city = "Berlin") => new
    {
        gpuModel = "H100", gpuCount = 8, cpuClass = "EPYC-9654", ramGiB = 1024, country = "DE", city,
        connectivity = "Ultra", security = "Soc2",
    };

    private static async Task<JsonElement> RegisterAsync(HttpClient http, object? body = null)
    {
        using var response = await http.PostAsJsonAsync("/api/devices", body ?? H100Box(), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task a_signed_in_wallet_registers_a_device_that_anyone_can_read_and_it_lists_as_its_own()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client(await app.SignInAsync(wallet));

        using var created = await http.PostAsJsonAsync("/api/devices", H100Box(), Ct);

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var device = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        device.GetProperty("owner").GetString().ShouldBe(wallet.PublicKey.ToString());
        device.GetProperty("status").GetString().ShouldBe("Idle");
        device.GetProperty("eligibility").GetProperty("eligible").GetBoolean().ShouldBeFalse();
        var id = device.GetProperty("id").GetGuid();
        created.Headers.Location!.ToString().ShouldBe($"/api/devices/{id}");

        using var anonymous = app.Client();
        var read = await anonymous.GetFromJsonAsync<JsonElement>($"/api/devices/{id:N}", Ct);
        read.GetProperty("city").GetString().ShouldBe("Berlin");
        read.GetProperty("connectivity").GetString().ShouldBe("Ultra");
        var mine = await http.GetFromJsonAsync<JsonElement>("/api/devices/mine", Ct);
        mine.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ShouldBe([id]);
    }

    [Fact]
    public async Task a_cpu_only_device_names_no_gpu_model()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client(await app.SignInAsync(wallet));

        var device = await RegisterAsync(http, new { cpuClass = "ryzen-7950x", ramGiB = 64, country = "JP", city = "Ōsaka", connectivity = "Medium", security = "Standard" });

        device.GetProperty("gpuModel").ValueKind.ShouldBe(JsonValueKind.Null);
        device.GetProperty("cpuClass").GetString().ShouldBe("RYZEN-7950X");
    }

    [Fact]
    public async Task only_the_owner_pauses_and_resumes_its_device()
    {
        using var owner = Keypair.Generate();
        using var stranger = Keypair.Generate();
        using var ownerHttp = app.Client(await app.SignInAsync(owner));
        using var strangerHttp = app.Client(await app.SignInAsync(stranger));
        using var anonymous = app.Client();
        var id = (await RegisterAsync(ownerHttp)).GetProperty("id").GetGuid();

        await (await strangerHttp.PostAsync($"/api/devices/{id}/pause", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await anonymous.PostAsync($"/api/devices/{id}/pause", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var paused = await ownerHttp.PostAsync($"/api/devices/{id}/pause", null, Ct);
        (await paused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString().ShouldBe("Paused");
        await (await strangerHttp.PostAsync($"/api/devices/{id}/resume", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var resumed = await ownerHttp.PostAsync($"/api/devices/{id}/resume", null, Ct);

        (await resumed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString().ShouldBe("Idle");
    }

    [Fact]
    public async Task an_operator_marks_a_device_eligible_and_other_wallets_may_not()
    {
        using var owner = Keypair.Generate();
        using var ownerHttp = app.Client(await app.SignInAsync(owner));
        using var operatorHttp = app.Client(await app.SignInAsync(app.Operator));
        var id = (await RegisterAsync(ownerHttp)).GetProperty("id").GetGuid();

        await (await ownerHttp.PostAsync($"/api/operator/devices/{id}/eligible", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var marked = await operatorHttp.PostAsJsonAsync($"/api/operator/devices/{id}/eligible", new { reason = "checked by hand" }, Ct);

        marked.StatusCode.ShouldBe(HttpStatusCode.OK, await marked.Content.ReadAsStringAsync(Ct));
        var device = await ownerHttp.GetFromJsonAsync<JsonElement>($"/api/devices/{id}", Ct);
        device.GetProperty("eligibility").GetProperty("eligible").GetBoolean().ShouldBeTrue();

        using var blocked = await operatorHttp.PostAsJsonAsync($"/api/operator/devices/{id}/status", new { status = "Blocked", reason = "abuse" }, Ct);
        var after = await blocked.Content.ReadFromJsonAsync<JsonElement>(Ct);
        after.GetProperty("status").GetString().ShouldBe("Blocked");
        after.GetProperty("eligibility").GetProperty("eligible").GetBoolean().ShouldBeFalse();
        await (await ownerHttp.PostAsync($"/api/devices/{id}/pause", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await operatorHttp.PostAsJsonAsync($"/api/operator/devices/{id}/status", new { status = "Hired", reason = "x" }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task an_unknown_device_is_a_404_problem_and_a_bad_id_a_400()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client(await app.SignInAsync(wallet));

        await (await http.GetAsync($"/api/devices/{Guid.NewGuid()}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await http.PostAsync($"/api/devices/{Guid.NewGuid()}/pause", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await http.GetAsync("/api/devices/not-a-guid", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task registration_names_every_field_it_refuses()
    {
        using var wallet = Keypair.Generate();
        using var http = app.Client(await app.SignInAsync(wallet));

        using var response = await http.PostAsJsonAsync("/api/devices", new
        {
            gpuModel = "H9000", gpuCount = 2, cpuClass = "PENTIUM", ramGiB = 0, country = "de", city = "", connectivity = "Low",
        }, Ct);
        using var catalogue = await http.PostAsJsonAsync("/api/devices", new
        {
            gpuModel = "H9000", gpuCount = 2, cpuClass = "PENTIUM", ramGiB = 8, country = "DE", city = "Bonn", connectivity = "Low", security = "Standard",
        }, Ct);

        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        foreach (var field in new[] { "RamGiB", "Country", "City", "Security" })
            errors.TryGetProperty(field, out _).ShouldBeTrue($"{field} in {errors}");
        var catalogueErrors = (await catalogue.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        catalogueErrors.TryGetProperty("GpuModel", out _).ShouldBeTrue();
        catalogueErrors.TryGetProperty("CpuClass", out _).ShouldBeTrue();
    }
}
