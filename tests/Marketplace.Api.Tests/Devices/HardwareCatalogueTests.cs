using System.Net.Http.Json;
using System.Text.Json;
using IoNet.Marketplace.Devices;
using IoNet.MarketplaceApi.Tests.Support;

namespace IoNet.MarketplaceApi.Tests.Devices;

public sealed class HardwareCatalogueTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public void the_catalogue_file_loads_and_names_the_common_data_centre_and_consumer_gpus()
    {
        var catalogue = HardwareCatalogue.LoadDefault();

        foreach (var id in new[] { "H100", "H200", "A100-80GB", "L40S", "RTX-4090", "RTX-3090" })
            catalogue.Gpu(id).ShouldNotBeNull(id);
        catalogue.Gpu("h100")!.Id.ShouldBe("H100");
        catalogue.Gpus.ShouldAllBe(g => 6L * g.ProofOfWorkN * g.ProofOfWorkN <= (long)g.VramGiB << 30);
        catalogue.Cpus.ShouldNotBeEmpty();
    }

    [Fact]
    public void a_catalogue_with_a_duplicate_id_or_a_proof_of_work_too_large_for_memory_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalogue-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {"notes":[],"gpus":[
              {"id":"X","name":"x","vendor":"v","class":"c","vramGiB":1,"fp16Tflops":1,"hardwareMultiplier":1,"proofOfWorkN":65536},
              {"id":"x","name":"x","vendor":"v","class":"c","vramGiB":8,"fp16Tflops":1,"hardwareMultiplier":1,"proofOfWorkN":1024}],
             "cpus":[]}
            """);
        try
        {
            var error = Should.Throw<InvalidOperationException>(() => HardwareCatalogue.Load(path));
            error.Message.ShouldContain("do not fit");
            error.Message.ShouldContain("appears twice");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task get_hardware_lists_the_catalogue()
    {
        using var http = app.Client();

        var hardware = await http.GetFromJsonAsync<JsonElement>("/api/hardware", TestContext.Current.CancellationToken);

        var h100 = hardware.GetProperty("gpus").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "H100");
        h100.GetProperty("vramGiB").GetInt32().ShouldBe(80);
        h100.GetProperty("proofOfWorkN").GetInt32().ShouldBeGreaterThan(0);
        hardware.GetProperty("cpus").GetArrayLength().ShouldBeGreaterThan(0);
    }
}
