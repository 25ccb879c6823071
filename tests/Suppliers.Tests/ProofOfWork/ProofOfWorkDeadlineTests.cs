using System.Text.Json;
using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

public sealed class ProofOfWorkDeadlineTests
{
    [Fact]
    public void every_gpu_model_of_the_marketplace_catalogue_has_an_expected_rate()
    {
        using var catalogue = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hardware-catalogue.json")));
        var ids = catalogue.RootElement.GetProperty("gpus").EnumerateArray().Select(g => g.GetProperty("id").GetString()!).ToList();

        ids.ShouldNotBeEmpty();
        ids.Where(id => ProofOfWorkRates.Default.GpuGigaMacsPerSecond(id) is null).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("H100", 16_384, 2_090, 8)]       // 132 SMs × 64 lanes × 1.98 GHz / 8 slots; 2 × 2.10 s → 5 s, + 3 s
    [InlineData("T4", 8_192, 508, 6)]
    [InlineData("rtx-4090", 12_288, 2_580, 5)]
    public void the_deadline_is_twice_the_expected_compute_rounded_up_plus_the_allowance(string model, int n, long rate, int seconds)
    {
        var expected = ProofOfWorkRates.Default.GpuGigaMacsPerSecond(model);

        expected.ShouldBe(rate);
        ProofOfWorkDeadline.For(n, rate).ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void a_cpu_gets_half_a_billion_products_a_second_per_thread_on_a_2048_matrix()
    {
        ProofOfWorkRates.Default.CpuN.ShouldBe(2048);
        ProofOfWorkRates.Default.CpuGigaMacsPerSecond(32).ShouldBe(16);
        ProofOfWorkRates.Default.CpuGigaMacsPerSecond(1).ShouldBe(1);
        ProofOfWorkDeadline.For(2048, 16).ShouldBe(TimeSpan.FromSeconds(5));
        ProofOfWorkDeadline.SlowestPassingRate(2048, TimeSpan.FromSeconds(5)).ShouldBe(1.718m, 0.001m);
    }

    [Fact]
    public void an_unknown_model_has_no_rate() => ProofOfWorkRates.Default.GpuGigaMacsPerSecond("GTX-480").ShouldBeNull();
}
