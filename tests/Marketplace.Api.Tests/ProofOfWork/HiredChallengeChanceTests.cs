using IoNet.Marketplace.ProofOfWork;

namespace IoNet.MarketplaceApi.Tests.ProofOfWork;

public sealed class HiredChallengeChanceTests
{
    [Fact]
    public void a_hired_device_is_challenged_in_a_tick_with_the_chance_of_a_poisson_process_of_the_mean_interval()
    {
        HiredChallenges.ChancePerTick(TimeSpan.FromSeconds(30), TimeSpan.FromHours(6)).ShouldBe(1 - Math.Exp(-30.0 / 21_600), 1e-12);
        HiredChallenges.ChancePerTick(TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(1)).ShouldBe(1.0, 1e-12);
        HiredChallenges.ChancePerTick(TimeSpan.FromSeconds(1), TimeSpan.Zero).ShouldBe(1.0);
    }
}
