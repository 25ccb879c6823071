using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using IoNet.Ledger.Store;
using IoNet.Marketplace.Rewards;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Rewards;
using IoNet.Suppliers.Uptime;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.Rewards;

/// <summary>
/// The reward-block service in the real app (WebApplicationFactory) on real PostgreSQL, with the test's clock: blocks are
/// numbered by time, two replicas open and close each block once and in order, a replica gone and the clock moved on
/// makes the other close every block it missed, and what nobody earned is carried block to block. No chain here (no
/// device is nominated, so nothing is paid); the chain's part is RewardBlockAcceptanceTests.
/// </summary>
public sealed class RewardBlockServiceTests
{
    private static readonly TimeSpan BlockLength = TimeSpan.FromMinutes(1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task two_replicas_open_and_close_every_block_once_in_order_and_one_left_alone_closes_every_block_it_missed()
    {
        await using var app = new MarketplaceApp();
        await app.InitializeAsync();
        var start = DateTimeOffset.FromUnixTimeSeconds(app.Clock.GetUtcNow().ToUnixTimeSeconds());
        app.Clock.Set(start);
        var genesis = start - 10 * BlockLength;
        var settings = new Dictionary<string, string>
        {
            ["Marketplace:Rewards:Genesis"] = genesis.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["Marketplace:Rewards:BlockLength"] = BlockLength.ToString(),
            ["Marketplace:Rewards:PollInterval"] = "00:00:00.050",
        };
        var first = app.Replica(settings);
        var second = app.Replica(settings);
        var store = second.Services.GetRequiredService<IDocumentStore>();
        _ = first.Services; // both hosts run their services

        // The block in progress is opened (block 10 since genesis), once.
        var opened = await UntilAsync(store, blocks => blocks.Count == 1);
        opened.ShouldHaveSingleItem().Number.ShouldBe(10);
        opened[0].Status.ShouldBe(RewardBlockStatus.InProgress);
        (opened[0].Start, opened[0].End).ShouldBe((start, start + BlockLength));

        // Five blocks later: 10 … 14 closed (nobody nominated: completed at once, everything carried), 15 in progress.
        app.Clock.Advance(5 * BlockLength);
        var blocks = await UntilAsync(store, b => b.Any(x => x.Number == 15));
        blocks.Select(b => b.Number).ShouldBe(new long[] { 10, 11, 12, 13, 14, 15 });
        blocks.Take(5).ShouldAllBe(b => b.Status == RewardBlockStatus.Completed);
        blocks[5].Status.ShouldBe(RewardBlockStatus.InProgress);

        // A replica gone (and the other restarted), the clock 3 blocks on: the survivor closes every block it missed.
        await first.DisposeAsync();
        app.Clock.Advance(3 * BlockLength);
        blocks = await UntilAsync(store, b => b.Any(x => x.Number == 18));
        blocks.Select(b => b.Number).ShouldBe(new long[] { 10, 11, 12, 13, 14, 15, 16, 17, 18 });

        var schedule = new EmissionSchedule(genesis.UtcDateTime.Year, genesis.UtcDateTime.Month);
        ulong carried = 0;
        foreach (var b in blocks)
        {
            (b.Start, b.End).ShouldBe((genesis + b.Number * BlockLength, genesis + (b.Number + 1) * BlockLength));
            b.Emission.ShouldBe(schedule.ForBlock(b.Number));
            b.CarriedIn.ShouldBe(carried);
            if (b.Number == 18)
                break;
            b.Payouts.ShouldBeEmpty();
            b.Undistributed.ShouldBe(b.Emission + b.CarriedIn);
            b.CarriedOut.ShouldBe((ulong?)(b.Emission + b.CarriedIn));
            carried = b.Undistributed;
        }

        // Over HTTP: newest first, paged; a block; problems for what does not exist.
        using var http = MarketplaceApp.ClientOf(second);
        var page = JsonDocument.Parse(await http.GetStringAsync("/api/rewards/blocks?limit=4", Ct)).RootElement;
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetInt64()).ShouldBe(new long[] { 18, 17, 16, 15 });
        page.GetProperty("nextBefore").GetInt64().ShouldBe(15);
        var next = JsonDocument.Parse(await http.GetStringAsync("/api/rewards/blocks?limit=4&before=15", Ct)).RootElement;
        next.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetInt64()).ShouldBe(new long[] { 14, 13, 12, 11 });
        var block = JsonDocument.Parse(await http.GetStringAsync("/api/rewards/blocks/12", Ct)).RootElement;
        block.GetProperty("status").GetString().ShouldBe("Completed");
        block.GetProperty("undistributed").GetUInt64().ShouldBe(blocks.Single(b => b.Number == 12).Undistributed);
        (await http.GetAsync("/api/rewards/blocks/9", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync("/api/rewards/blocks/12/proof", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await http.GetAsync("/api/rewards/blocks/12/proof?device=not-a-guid", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var unknown = await http.GetAsync($"/api/rewards/blocks/12/proof?device={Guid.NewGuid()}", Ct);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task stored_device_uptime_documents_give_each_device_its_green_time_in_the_window_s_whole_hours()
    {
        await using var app = new MarketplaceApp();
        await app.InitializeAsync();
        var replica = app.Replica(new Dictionary<string, string> { ["Marketplace:Rewards:Enabled"] = "false" });
        var uptime = replica.Services.GetRequiredService<IRewardUptime>();
        var hour = DeviceUptime.HourStart(DeviceUptime.HourOf(DateTimeOffset.UtcNow));
        var steady = Guid.NewGuid();
        var patchy = Guid.NewGuid();

        // No uptime stored anywhere yet: nobody has any (and nothing fails).
        (await uptime.GreenUptimeAsync([steady], hour - TimeSpan.FromHours(24), hour, Ct)).ShouldBeEmpty();

        var steadyUptime = Beats(steady, hour - TimeSpan.FromHours(30), hour + TimeSpan.FromMinutes(20), TimeSpan.Zero);
        var patchyUptime = Beats(patchy, hour - TimeSpan.FromHours(6), hour, TimeSpan.FromMinutes(7));
        using (var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, app.ConnectionString, app.Schema);
            o.Schema.For<DeviceUptime>().Identity(u => u.Device);
        }))
        await using (var session = store.LightweightSession())
        {
            session.Store(steadyUptime, patchyUptime);
            await session.SaveChangesAsync(Ct);
        }

        var window = TimeSpan.FromHours(24);
        var green = await uptime.GreenUptimeAsync([steady, patchy, Guid.NewGuid()], hour - window, hour, Ct);
        green.Count.ShouldBe(2);
        green[steady].ShouldBe(TimeSpan.FromHours(24));                      // the 20 minutes of the hour in progress are not counted
        green[steady].ShouldBe(steadyUptime.GreenUptime(hour, window));
        green[patchy].ShouldBe(patchyUptime.GreenUptime(hour, window));
        green[patchy].ShouldBeLessThan(TimeSpan.FromHours(6));
        // A window that is not hour-aligned counts the whole hours that start in it, rounded down at both ends.
        (await uptime.GreenUptimeAsync([steady], hour - TimeSpan.FromMinutes(150), hour + TimeSpan.FromMinutes(30), Ct))[steady].ShouldBe(TimeSpan.FromHours(3));
    }

    /// <summary>Signed beats every minute from <paramref name="from"/> to <paramref name="to"/>, skipping one in every <paramref name="gapEvery"/> ticks when set.</summary>
    private static DeviceUptime Beats(Guid device, DateTimeOffset from, DateTimeOffset to, TimeSpan gapEvery)
    {
        using var key = Keypair.Generate();
        var uptime = new DeviceUptime(device);
        var n = 0;
        for (var at = from; at <= to; at += UptimeRules.Default.HeartbeatInterval, n++)
        {
            if (gapEvery > TimeSpan.Zero && n % (int)(gapEvery / UptimeRules.Default.HeartbeatInterval) == 3)
                continue;
            uptime.Record(Heartbeat.Sign(device, at, key), key.PublicKey, at, UptimeRules.Default).ShouldBe(HeartbeatResult.Accepted);
        }
        return uptime;
    }

    /// <summary>The stored blocks, oldest first, once <paramref name="done"/> holds; the guard only stops a hanging test.</summary>
    private static async Task<IReadOnlyList<RewardBlockRecord>> UntilAsync(IDocumentStore store, Func<IReadOnlyList<RewardBlockRecord>, bool> done)
    {
        var guard = Stopwatch.StartNew();
        while (true)
        {
            await using (var session = store.QuerySession())
            {
                var blocks = await session.Query<RewardBlockRecord>().OrderBy(b => b.Number).ToListAsync(Ct);
                if (done(blocks))
                    return blocks;
                if (guard.Elapsed > TimeSpan.FromMinutes(3))
                    throw new ShouldAssertException($"the blocks did not get there: {string.Join(", ", blocks.Select(b => $"{b.Number} {b.Status}"))}");
            }
            await Task.Delay(50, Ct);
        }
    }
}
