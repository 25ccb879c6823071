using IoNet.Indexer.Crawling;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace IoNet.Indexer.Tests.Crawling;

/// <summary>The pacing of <see cref="AdaptiveRequestRate"/> on a clock the test moves: even spacing, missed slots made up for, within bounds.</summary>
public sealed class AdaptiveRequestRateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    private int Granted(AdaptiveRequestRate rate)
    {
        var n = 0;
        while (rate.AttemptAcquire(1).IsAcquired)
            n++;
        return n;
    }

    [Fact]
    public void requests_are_spaced_at_the_rate()
    {
        var rate = new AdaptiveRequestRate(10, _time);
        Granted(rate).ShouldBe(1);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Granted(rate).ShouldBe(0);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Granted(rate).ShouldBe(1);
    }

    [Fact]
    public void slots_missed_by_a_late_request_are_made_up_for_at_once()
    {
        var rate = new AdaptiveRequestRate(10, _time);
        Granted(rate).ShouldBe(1);
        // Late by 300 ms: the slots at 100, 200, 300 and 400 ms are all still there.
        _time.Advance(TimeSpan.FromMilliseconds(400));
        Granted(rate).ShouldBe(4);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Granted(rate).ShouldBe(1);
    }

    [Fact]
    public void no_more_than_half_a_second_of_missed_slots_is_made_up_for()
    {
        var rate = new AdaptiveRequestRate(10, _time);
        Granted(rate).ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(10));
        // 500 ms behind at most: the slots at now - 500, -400, …, -100 ms and now.
        Granted(rate).ShouldBe(1 + (int)(AdaptiveRequestRate.CatchUp.TotalMilliseconds / 100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Granted(rate).ShouldBe(1);
    }

    [Fact]
    public void a_429_pauses_for_its_retry_after_and_slows_the_rate_and_the_pause_is_not_made_up_for()
    {
        var rate = new AdaptiveRequestRate(10, _time);
        Granted(rate).ShouldBe(1);
        rate.RateLimited(TimeSpan.FromSeconds(1));
        rate.RateLimitedCount.ShouldBe(1);
        rate.CurrentRate.ShouldBeLessThan(10);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Granted(rate).ShouldBe(0);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Granted(rate).ShouldBe(1);
    }
}
