using IoNet.Suppliers.Rewards;

namespace IoNet.Suppliers.Tests.Rewards;

public sealed class EmissionScheduleTests
{
    private const ulong Io = EmissionSchedule.BaseUnitsPerIo;

    [Fact]
    public void the_240_months_emit_exactly_300_million_io()
    {
        var months = EmissionSchedule.MonthlyEmissions;

        months.Count.ShouldBe(240);
        months.Aggregate(0UL, (a, b) => checked(a + b)).ShouldBe(300_000_000 * Io);
    }

    [Fact]
    public void month_one_is_8_percent_a_year_of_the_launch_supply_and_each_month_decays_by_0_989849199_rounded_down()
    {
        var months = EmissionSchedule.MonthlyEmissions;

        months[0].ShouldBe(333_333_333_333_333UL);                  // 3,333,333.33333333 IO = 0.667% of 500M
        for (var m = 1; m < 239; m++)
            months[m].ShouldBe((ulong)((UInt128)months[m - 1] * 989_849_199 / 1_000_000_000), $"month {m + 1}");
        months[239].ShouldBeLessThan(months[238]);                   // the remainder: 285,411.40484228 IO
        months[239].ShouldBe(28_541_140_484_228UL);
        months.Take(12).Aggregate(0UL, (a, b) => a + b).ShouldBe(3_784_068_745_997_256UL);   // year 1: 37,840,687.46 IO
    }

    [Theory]
    [InlineData(2025, 1, 175_320)]   // 2028, 2032, 2036, 2040, 2044 are leap years
    [InlineData(2024, 6, 175_344)]   // 2028 … 2044 and 29 Feb 2044 — and 2024's leap day is before June
    public void the_blocks_of_the_20_years_add_up_to_the_whole_emission(int year, int month, long blocks)
    {
        var schedule = new EmissionSchedule(year, month);
        ulong sum = 0;
        for (long b = 0; b < schedule.TotalBlocks; b++)
            sum = checked(sum + schedule.ForBlock(b));

        schedule.TotalBlocks.ShouldBe(blocks - (year == 2024 ? 24 : 0));
        sum.ShouldBe(EmissionSchedule.TotalEmission);
        schedule.ForBlock(schedule.TotalBlocks).ShouldBe(0UL);
        schedule.EmittedBefore(schedule.TotalBlocks).ShouldBe(EmissionSchedule.TotalEmission);
    }

    [Fact]
    public void the_hours_of_each_month_add_up_to_that_month_and_differ_by_at_most_one_base_unit()
    {
        var schedule = new EmissionSchedule(2026, 1);
        long block = 0;
        for (var month = 1; month <= 240; month++)
        {
            var hours = Enumerable.Range(0, schedule.HoursIn(month)).Select(h => schedule.ForBlock(block + h)).ToList();
            hours.Aggregate(0UL, (a, b) => a + b).ShouldBe(EmissionSchedule.MonthlyEmissions[month - 1]);
            (hours.Max() - hours.Min()).ShouldBeLessThanOrEqualTo(1UL);
            schedule.Locate(block).ShouldBe((month, 0));
            schedule.EmittedBefore(block).ShouldBe(EmissionSchedule.MonthlyEmissions.Take(month - 1).Aggregate(0UL, (a, b) => a + b));
            block += hours.Count;
        }
        schedule.Locate(block).ShouldBeNull();
        schedule.HoursIn(2).ShouldBe(28 * 24);
    }

    [Fact]
    public void a_block_of_january_2026_emits_about_4480_io()
    {
        var schedule = new EmissionSchedule(2026, 1);

        // 3,333,333.33333333 IO / 744 hours = 4,480.286738351 IO.
        schedule.ForBlock(0).ShouldBe(448_028_673_835UL);
        schedule.ForBlock(743).ShouldBe(448_028_673_836UL);
    }
}
