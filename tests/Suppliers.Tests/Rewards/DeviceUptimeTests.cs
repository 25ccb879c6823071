using IoNet.Solana.Keys;
using IoNet.Suppliers.Uptime;

namespace IoNet.Suppliers.Tests.Rewards;

public sealed class DeviceUptimeTests
{
    private static readonly Guid Device = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Keypair Key = ProofOfWork.ProofOfWorkExchange.Key(4);
    private static readonly UptimeRules Rules = UptimeRules.Default;

    private static HeartbeatResult Beat(DeviceUptime uptime, DateTimeOffset at) =>
        uptime.Record(Heartbeat.Sign(Device, at, Key), Key.PublicKey, at, Rules);

    [Fact]
    public void beats_every_minute_for_six_hours_make_six_green_hours_in_six_buckets()
    {
        var uptime = new DeviceUptime(Device);
        for (var m = 0; m <= 360; m++)
            Beat(uptime, Noon + TimeSpan.FromMinutes(m)).ShouldBe(HeartbeatResult.Accepted);

        uptime.GreenUptime(Noon + TimeSpan.FromHours(6), TimeSpan.FromHours(24)).ShouldBe(TimeSpan.FromHours(6));
        uptime.GreenMillisecondsByHour.Count.ShouldBe(6);
        uptime.GreenMillisecondsByHour.Values.ShouldAllBe(ms => ms == DeviceUptime.MillisecondsPerHour);
        uptime.Beats.ShouldBe(361);
        uptime.Gaps.ShouldBeEmpty();
    }

    [Fact]
    public void a_gap_is_green_only_for_the_interval_before_the_beat_that_ends_it_and_is_recorded()
    {
        var uptime = new DeviceUptime(Device);
        Beat(uptime, Noon);
        Beat(uptime, Noon + TimeSpan.FromMinutes(1));
        Beat(uptime, Noon + TimeSpan.FromMinutes(11));           // 10 minutes of silence

        uptime.GreenUptime(Noon + TimeSpan.FromHours(1), TimeSpan.FromHours(1)).ShouldBe(TimeSpan.FromMinutes(2));
        uptime.Gaps.ShouldHaveSingleItem().ShouldBe(new HeartbeatGap(Noon + TimeSpan.FromMinutes(1), Noon + TimeSpan.FromMinutes(11)));
    }

    [Fact]
    public void green_time_across_an_hour_boundary_is_split_between_the_two_hours()
    {
        var uptime = new DeviceUptime(Device);
        Beat(uptime, Noon - TimeSpan.FromSeconds(20));
        Beat(uptime, Noon + TimeSpan.FromSeconds(40));

        uptime.GreenUptime(Noon, TimeSpan.FromHours(1)).ShouldBe(TimeSpan.FromSeconds(20));
        uptime.GreenUptime(Noon + TimeSpan.FromHours(1), TimeSpan.FromHours(1)).ShouldBe(TimeSpan.FromSeconds(40));
    }

    [Fact]
    public void the_device_is_down_after_three_missed_beats_and_inactive_after_five_days()
    {
        var uptime = new DeviceUptime(Device);
        uptime.StatusAt(Noon, Rules).ShouldBe(UptimeStatus.Unknown);
        Beat(uptime, Noon);

        uptime.StatusAt(Noon + TimeSpan.FromMinutes(3), Rules).ShouldBe(UptimeStatus.Up);
        uptime.StatusAt(Noon + TimeSpan.FromMinutes(3) + TimeSpan.FromMilliseconds(1), Rules).ShouldBe(UptimeStatus.Down);
        uptime.StatusAt(Noon + TimeSpan.FromDays(5), Rules).ShouldBe(UptimeStatus.Down);
        uptime.StatusAt(Noon + TimeSpan.FromDays(5) + TimeSpan.FromSeconds(1), Rules).ShouldBe(UptimeStatus.Inactive);
        uptime.GapsBetween(Noon, Noon + TimeSpan.FromHours(1), Rules).ShouldHaveSingleItem().From.ShouldBe(Noon);
    }

    [Fact]
    public void forged_replayed_and_skewed_beats_are_refused_and_change_nothing()
    {
        var uptime = new DeviceUptime(Device);
        Beat(uptime, Noon);
        using var other = Keypair.Generate();

        uptime.Record(Heartbeat.Sign(Device, Noon + TimeSpan.FromMinutes(1), other), Key.PublicKey, Noon + TimeSpan.FromMinutes(1), Rules).ShouldBe(HeartbeatResult.BadSignature);
        uptime.Record(Heartbeat.Sign(Guid.NewGuid(), Noon + TimeSpan.FromMinutes(1), Key), Key.PublicKey, Noon + TimeSpan.FromMinutes(1), Rules).ShouldBe(HeartbeatResult.BadSignature);
        uptime.Record(Heartbeat.Sign(Device, Noon, Key), Key.PublicKey, Noon + TimeSpan.FromSeconds(5), Rules).ShouldBe(HeartbeatResult.Stale);
        uptime.Record(Heartbeat.Sign(Device, Noon + TimeSpan.FromMinutes(2), Key), Key.PublicKey, Noon + TimeSpan.FromMinutes(1), Rules).ShouldBe(HeartbeatResult.ClockSkew);

        uptime.Beats.ShouldBe(1);
        uptime.GreenMillisecondsByHour.ShouldBeEmpty();
    }

    [Fact]
    public void buckets_older_than_the_retention_are_dropped()
    {
        var uptime = new DeviceUptime(Device);
        Beat(uptime, Noon);
        Beat(uptime, Noon + TimeSpan.FromMinutes(1));
        Beat(uptime, Noon + TimeSpan.FromDays(9));
        Beat(uptime, Noon + TimeSpan.FromDays(9) + TimeSpan.FromMinutes(1));

        // The beat ending the 9-day gap makes the minute before it green (11:59, the hour before noon).
        var ninthNoon = DeviceUptime.HourOf(Noon + TimeSpan.FromDays(9));
        uptime.GreenMillisecondsByHour.Keys.ShouldBe([ninthNoon - 1, ninthNoon]);
        uptime.Gaps.ShouldHaveSingleItem().To.ShouldBe(Noon + TimeSpan.FromDays(9));
    }

    [Fact]
    public void the_signed_heartbeat_is_tag_then_device_then_unix_milliseconds()
    {
        var message = Heartbeat.SignedMessage(Device, DateTimeOffset.FromUnixTimeMilliseconds(0x0102030405));

        Convert.ToHexStringLower(message).ShouldBe(
            Convert.ToHexStringLower("ionet:v1:heartbeat:"u8) + "7c9e6679742540de944be07fc1f90ae7" + "0504030201000000");
    }
}
