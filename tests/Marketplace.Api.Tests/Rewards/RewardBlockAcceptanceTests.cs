using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Store;
using IoNet.Marketplace.ProofOfWork;
using IoNet.MarketplaceApi.Tests.Credits;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Rewards;
using IoNet.Suppliers.Uptime;
using IoNet.TestSupport;
using Marten;

namespace IoNet.MarketplaceApi.Tests.Rewards;

/// <summary>
/// Issue 10's acceptance 2, every part real: a localnet, PostgreSQL, the indexer's process and Marketplace.Api processes
/// (the built dll) on one schema. Seven devices are registered over HTTP and staked on chain; proofs of work and uptime
/// (DeviceUptime built from signed heartbeats) are put in the store; an eighth device, never proved nor staked, is no
/// candidate at all. The reward service runs two 15-second blocks; the
/// API is killed right after it sent the first payout and a new one finishes. Each block pays exactly the amounts
/// computed here to the three nominated workers (four devices are not nominated, one reason each), once; its root is in
/// a memo on chain, every payout's inclusion proof from the endpoint verifies against that root with the verifier below
/// (SHA-256 over the leaf encoding of docs/rewards.md, RFC 9162's walk); the indexer's DeviceEarnings match to the unit.
/// </summary>
public sealed class RewardBlockAcceptanceTests(CreditsNetwork network) : IClassFixture<CreditsNetwork>
{
    private const ulong Io = 100_000_000;
    private static readonly TimeSpan BlockLength = TimeSpan.FromSeconds(15);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Keypair _operator = Keypair.Generate();

    private sealed record Supplier(string Name, Keypair Owner, Guid Device, string? GpuModel, int Gpus, string Connectivity, int Tier, int Multiplier);

    [Fact]
    public async Task two_blocks_pay_the_nominated_workers_exactly_once_across_a_restart_and_every_payout_proves_against_the_root_on_chain()
    {
        var chain = network.Chain;
        var io = chain.Network.Io;
        var setup = await network.StartApiAsync("api-setup", 800_000, $"--Marketplace:OperatorWallets:0={_operator.PublicKey}", "--Marketplace:Rewards:Enabled=false");

        // 1. Seven suppliers, one device each, registered over HTTP.
        async Task<Supplier> RegisterAsync(string name, string? model, int gpus, string connectivity, int tier, int multiplier)
        {
            var owner = await network.BuyerWithIoAsync(1_000 * Io);
            using var http = await CreditsNetwork.SignedInAsync(setup, owner);
            using var response = await http.PostAsJsonAsync("/api/devices", new
            {
                gpuModel = model, gpuCount = gpus, cpuClass = model is null ? "RYZEN-7950X" : "EPYC-9654", ramGiB = 128, country = "DE",
                city = "Berlin", connectivity, security = "Standard",
            }, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
            return new Supplier(name, owner, JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid(), model, gpus, connectivity, tier, multiplier);
        }
        var a = await RegisterAsync("a", "RTX-4090", 2, "Ultra", 4, 233);
        var b = await RegisterAsync("b", "RTX-3090", 1, "High", 3, 100);
        var c = await RegisterAsync("c", null, 0, "Medium", 2, 100);             // CPU-only: the CPU pool
        var lowStake = await RegisterAsync("low-stake", "RTX-3090", 1, "High", 3, 100);
        var noProof = await RegisterAsync("no-proof", "RTX-3090", 1, "High", 3, 100);
        var shortUptime = await RegisterAsync("short-uptime", "RTX-3090", 1, "High", 3, 100);
        var blocked = await RegisterAsync("blocked", "RTX-3090", 1, "High", 3, 100);
        // Registered, never proved, never staked: not even a candidate (not listed among the devices not nominated).
        var neverProved = await RegisterAsync("never-proved", "H100", 8, "Ultra", 4, 1394);
        Supplier[] all = [a, b, c, lowStake, noProof, shortUptime, blocked];
        Supplier[] nominated = [a, b, c];
        using (var op = await CreditsNetwork.SignedInAsync(setup, _operator))
        {
            using var response = await op.PostAsJsonAsync($"/api/operator/devices/{blocked.Device}/status", new { status = "Blocked", reason = "acceptance test" }, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        }
        await setup.KillAsync(); // its outbox must not take the payouts from the API under test

        // 2. Stakes on chain: 200 IO × max(1, multiplier) per GPU; one device a base unit short.
        var stakes = new Dictionary<Guid, ulong>
        {
            [a.Device] = 932 * Io, [b.Device] = 200 * Io, [c.Device] = 200 * Io, [lowStake.Device] = 200 * Io - 1,
            [noProof.Device] = 200 * Io, [shortUptime.Device] = 200 * Io, [blocked.Device] = 200 * Io,
        };
        foreach (var s in all)
        {
            var staked = await chain.ExecuteAsync(s.Owner, IoNetFlows.Stake(s.Owner.PublicKey, io, chain.Network.StakeAuthority, s.Device, stakes[s.Device]), [s.Owner], Ct);
            staked.Meta!.Err.ShouldBeNull();
        }
        using var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, network.Schema.ConnectionString, network.Schema.Name);
            LedgerStore.AddChainProjections(o); // the indexer's mapping of DeviceEarnings (its daemon keeps it; none runs here)
            o.Schema.For<DeviceUptime>().Identity(u => u.Device);
        });
        await UntilAsync("the indexer storing every stake", async () =>
        {
            await using var session = store.QuerySession();
            var earnings = await session.LoadManyAsync<DeviceEarnings>(Ct, all.Select(s => s.Device.ToString("N")).ToArray());
            return all.All(s => earnings.SingleOrDefault(e => e.Id == s.Device.ToString("N"))?.Staked == stakes[s.Device]);
        });

        // 3. Proofs verified an hour ago (not for no-proof); 7 h of heartbeats in the last whole hours (2 h for short-uptime).
        var now = DateTimeOffset.UtcNow;
        var hour = DeviceUptime.HourStart(DeviceUptime.HourOf(now));
        await using (var session = store.LightweightSession())
        {
            foreach (var s in all.Where(s => s != noProof))
                session.Store(new DeviceProofOfWork { Id = s.Device.ToString("N"), Device = s.Device, LastVerifiedAt = now.AddHours(-1), LastOutcome = "Verified", Verified = 1 });
            foreach (var s in all.Append(neverProved))
                session.Store(Uptime(s.Device, hour - TimeSpan.FromHours(s == shortUptime ? 2 : 7), hour));
            await session.SaveChangesAsync(Ct);
        }

        // 4. The reward service: blocks of 15 s from a genesis 10 minutes ago (month 1 of the schedule), the two after the current one.
        var genesis = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() - 600);
        var first = (DateTimeOffset.UtcNow - genesis).Ticks / BlockLength.Ticks + 1;
        long[] blocks = [first, first + 1];
        var balances = new Dictionary<Guid, ulong>();
        foreach (var s in nominated)
            balances[s.Device] = await chain.TokenBalanceAsync(io.AccountOf(s.Owner.PublicKey), Ct);
        string[] rewards =
        [
            $"--Marketplace:Rewards:Genesis={genesis.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}", $"--Marketplace:Rewards:BlockLength={BlockLength}",
            $"--Marketplace:Rewards:FirstBlock={first}", $"--Marketplace:Rewards:LastBlock={first + 1}", "--Marketplace:Rewards:PollInterval=00:00:00.250",
        ];
        var api = await network.StartApiAsync("api-rewards", 800_000, [.. rewards, "--Marketplace:Outbox:PauseAfter=sent"]);
        // Killed right after its outbox sent the first payout (before it learnt the fate): the next API must not pay it again.
        var paused = await api.WaitForLineAsync(l => l.Contains("outbox paused after sent: reward:", StringComparison.Ordinal));
        await api.KillAsync();
        paused.ShouldContain($"reward:{first}:");
        api = await network.StartApiAsync("api-rewards-restarted", 800_000, rewards);

        var schedule = new EmissionSchedule(genesis.UtcDateTime.Year, genesis.UtcDateTime.Month);
        using var http = api.Client();
        var totals = nominated.ToDictionary(s => s.Device, _ => 0UL);
        foreach (var block in blocks)
        {
            var view = await UntilAsync($"block {block} completing", async () =>
            {
                using var response = await http.GetAsync($"/api/rewards/blocks/{block}", Ct);
                if (response.StatusCode == HttpStatusCode.NotFound)
                    return (JsonElement?)null;
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
                return body.GetProperty("status").GetString() == "Completed" ? body : null;
            }, api);
            var v = view!.Value;

            // The split, computed here from docs/rewards.md.
            var emission = schedule.ForBlock(block);
            emission.ShouldBeGreaterThan(0UL);
            v.GetProperty("emission").GetUInt64().ShouldBe(emission);
            v.GetProperty("carriedIn").GetUInt64().ShouldBe(0UL);
            var expected = ExpectedSplit(emission, nominated);
            var payouts = v.GetProperty("payouts").EnumerateArray().ToDictionary(p => p.GetProperty("device").GetGuid(), p => p);
            payouts.Keys.Order().ShouldBe(nominated.Select(s => s.Device).Order());
            foreach (var s in nominated)
            {
                payouts[s.Device].GetProperty("amount").GetUInt64().ShouldBe(expected[s.Device], $"block {block}, device {s.Name}");
                payouts[s.Device].GetProperty("worker").GetString().ShouldBe(s.Owner.PublicKey.ToString());
                payouts[s.Device].GetProperty("state").GetString().ShouldBe("Paid");
                totals[s.Device] += expected[s.Device];
            }
            expected.Values.Aggregate(0UL, (sum, x) => sum + x).ShouldBe(emission);
            v.GetProperty("succeeded").GetArrayLength().ShouldBe(3);
            v.GetProperty("failed").GetArrayLength().ShouldBe(0);
            var reasons = v.GetProperty("notNominated").EnumerateArray().ToDictionary(
                n => n.GetProperty("device").GetGuid(), n => string.Join("; ", n.GetProperty("reasons").EnumerateArray().Select(r => r.GetString())));
            reasons.Keys.Order().ShouldBe(new[] { lowStake.Device, noProof.Device, shortUptime.Device, blocked.Device }.Order());
            reasons[lowStake.Device].ShouldStartWith("stake 19999999999 below");
            reasons[noProof.Device].ShouldBe("no verified proof of work");
            reasons[shortUptime.Device].ShouldStartWith("2 h green uptime");
            reasons[blocked.Device].ShouldBe("blocked or unsupported");

            // The root, read back from the memo transaction on chain (signed by the treasury authority).
            var memoSignature = v.GetProperty("memoSignature").GetString()!;
            var memoTransaction = await chain.Rpc.GetTransactionAsync(memoSignature, cancellationToken: Ct);
            memoTransaction.ShouldNotBeNull();
            memoTransaction.Meta!.Err.ShouldBeNull();
            var memo = LocalnetChain.TopLevel(memoTransaction).ShouldHaveSingleItem().ShouldBeOfType<MemoInstruction>();
            memo.Signers.ShouldContain(chain.Network.TreasuryAuthority);
            var fields = memo.Text.Split(':');
            fields.Length.ShouldBe(7, memo.Text);
            (fields[0], fields[1], fields[2], fields[3]).ShouldBe(("ionet", "v1", "rewardroot", block.ToString(CultureInfo.InvariantCulture)));
            var root = Convert.FromHexString(fields[4]);
            var count = int.Parse(fields[5], CultureInfo.InvariantCulture);
            count.ShouldBe(3);
            ulong.Parse(fields[6], CultureInfo.InvariantCulture).ShouldBe(emission);
            v.GetProperty("root").GetString().ShouldBe(fields[4]);

            // Every payout's inclusion proof from the endpoint, checked here against the root on chain.
            foreach (var s in nominated)
            {
                using var response = await http.GetAsync($"/api/rewards/blocks/{block}/proof?device={s.Device}", Ct);
                var text = await response.Content.ReadAsStringAsync(Ct);
                response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
                var proof = JsonDocument.Parse(text).RootElement;
                proof.GetProperty("count").GetInt32().ShouldBe(count);
                proof.GetProperty("amount").GetUInt64().ShouldBe(expected[s.Device]);
                proof.GetProperty("worker").GetString().ShouldBe(s.Owner.PublicKey.ToString());
                var siblings = proof.GetProperty("siblings").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()!)).ToList();
                var leaf = IndependentVerifier.Leaf((ulong)block, s.Device, s.Owner.PublicKey.ToString(), expected[s.Device]);
                proof.GetProperty("leaf").GetString().ShouldBe(Convert.ToHexStringLower(leaf));
                IndependentVerifier.Verifies(leaf, proof.GetProperty("index").GetInt32(), count, siblings, root).ShouldBeTrue($"block {block}, device {s.Name}");
                // A proof for another amount does not verify.
                IndependentVerifier.Verifies(IndependentVerifier.Leaf((ulong)block, s.Device, s.Owner.PublicKey.ToString(), expected[s.Device] + 1),
                    proof.GetProperty("index").GetInt32(), count, siblings, root).ShouldBeFalse();
            }
            using (var none = await http.GetAsync($"/api/rewards/blocks/{block}/proof?device={lowStake.Device}", Ct))
                none.StatusCode.ShouldBe(HttpStatusCode.NotFound);

            // The Ledger: exactly one RewardPaid per nominated device, of exactly its amount, and nothing else in the block.
            await using var ledger = store.QuerySession();
            var devices = all.Select(s => s.Device.ToString("N")).ToArray();
            var paid = (await ledger.Events.QueryRawEventDataOnly<RewardPaid>().Where(e => e.Device.IsOneOf(devices)).ToListAsync(Ct))
                .Where(e => e.Block == (ulong)block).ToList();
            paid.Select(p => (p.Device, p.Worker, p.Amount)).Order().ShouldBe(
                nominated.Select(s => (s.Device.ToString("N"), s.Owner.PublicKey.ToString(), expected[s.Device])).Order());
        }

        // The chain: each worker received exactly the two blocks' amounts (a second payment would show here).
        foreach (var s in nominated)
            (await chain.TokenBalanceAsync(io.AccountOf(s.Owner.PublicKey), Ct)).ShouldBe(balances[s.Device] + totals[s.Device], s.Name);

        // The indexer's DeviceEarnings, to the base unit.
        await UntilAsync("DeviceEarnings holding both blocks", async () =>
        {
            await using var session = store.QuerySession();
            var earnings = await session.LoadManyAsync<DeviceEarnings>(Ct, nominated.Select(s => s.Device.ToString("N")).ToArray());
            return earnings.Count == 3 && earnings.All(e => e.RewardsByBlock.Count == 2);
        });
        await using (var session = store.QuerySession())
        {
            foreach (var s in nominated)
            {
                var e = (await session.LoadAsync<DeviceEarnings>(s.Device.ToString("N"), Ct)).ShouldNotBeNull();
                e.Rewards.ShouldBe(totals[s.Device]);
                foreach (var block in blocks)
                    e.RewardsByBlock[block.ToString(CultureInfo.InvariantCulture)].ShouldBe(ExpectedSplit(schedule.ForBlock(block), nominated)[s.Device]);
            }
            foreach (var s in all.Except(nominated))
                (await session.LoadAsync<DeviceEarnings>(s.Device.ToString("N"), Ct))!.Rewards.ShouldBe(0UL);
        }

        // The list: newest first, both Completed; nothing after the last block.
        var list = JsonDocument.Parse(await http.GetStringAsync("/api/rewards/blocks", Ct)).RootElement.GetProperty("items");
        list.EnumerateArray().Select(i => (i.GetProperty("number").GetInt64(), i.GetProperty("status").GetString()!))
            .ShouldBe(new[] { (first + 1, "Completed"), (first, "Completed") });
        await api.KillAsync();
    }

    /// <summary>The split of docs/rewards.md, written out: pools 95/5, floor shares, the rest one each to the largest remainders.</summary>
    private static Dictionary<Guid, ulong> ExpectedSplit(ulong emission, IReadOnlyList<Supplier> nominated)
    {
        int[] connectivity = [100, 110, 120, 130];
        var gpuPool = (ulong)((UInt128)emission * 95 / 100);
        var result = new Dictionary<Guid, ulong>();
        foreach (var (pool, members) in new[] { (gpuPool, nominated.Where(s => s.GpuModel is not null).ToList()), (emission - gpuPool, nominated.Where(s => s.GpuModel is null).ToList()) })
        {
            var scores = members.ToDictionary(s => s.Device, s => (UInt128)(ulong)connectivity[s.Tier - 1] * (ulong)s.Multiplier * (ulong)Math.Max(1, s.Gpus) * 100);
            var total = scores.Values.Aggregate(UInt128.Zero, (x, y) => x + y);
            ulong given = 0;
            foreach (var s in members)
            {
                result[s.Device] = (ulong)(pool * scores[s.Device] / total);
                given += result[s.Device];
            }
            foreach (var s in members.OrderByDescending(s => pool * scores[s.Device] % total).ThenBy(s => s.Device.ToString("N"), StringComparer.Ordinal).Take((int)(pool - given)))
                result[s.Device]++;
        }
        return result;
    }

    /// <summary>A device's uptime as the heartbeat rules keep it: a signed beat every minute from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static DeviceUptime Uptime(Guid device, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = Keypair.Generate();
        var uptime = new DeviceUptime(device);
        for (var at = from; at <= to; at += UptimeRules.Default.HeartbeatInterval)
            uptime.Record(Heartbeat.Sign(device, at, key), key.PublicKey, at, UptimeRules.Default).ShouldBe(HeartbeatResult.Accepted);
        return uptime;
    }

    /// <summary>Polls until <paramref name="done"/> answers; the guard only stops a hanging test (no speed check).</summary>
    private static async Task UntilAsync(string what, Func<Task<bool>> done)
    {
        var guard = Stopwatch.StartNew();
        while (!await done())
        {
            if (guard.Elapsed > TimeSpan.FromMinutes(4))
                throw new ShouldAssertException($"{what} did not happen");
            await Task.Delay(250, Ct);
        }
    }

    private static async Task<JsonElement?> UntilAsync(string what, Func<Task<JsonElement?>> done, ServiceProcess api)
    {
        var guard = Stopwatch.StartNew();
        while (true)
        {
            if (await done() is { } result)
                return result;
            if (guard.Elapsed > TimeSpan.FromMinutes(4))
                throw new ShouldAssertException($"{what} did not happen\n--- api output:\n{api.Output}");
            await Task.Delay(250, Ct);
        }
    }

    /// <summary>
    /// A third party's verifier, from docs/rewards.md alone: the leaf is SHA-256 of 0x00 || "ionet:v1:payout:" ||
    /// u64le(block) || the device id's 16 bytes (its 32 hex digits) || the worker's 32 key bytes (base58 decoded) ||
    /// u64le(amount); the path is checked with RFC 9162 §2.1.3.2, inner nodes SHA-256(0x01 || left || right).
    /// </summary>
    private static class IndependentVerifier
    {
        public static byte[] Leaf(ulong block, Guid device, string workerBase58, ulong amount)
        {
            var bytes = new List<byte> { 0x00 };
            bytes.AddRange("ionet:v1:payout:"u8.ToArray());
            bytes.AddRange(LittleEndian(block));
            bytes.AddRange(Convert.FromHexString(device.ToString("N")));
            var worker = SimpleBase.Base58.Bitcoin.Decode(workerBase58);
            worker.Length.ShouldBe(32);
            bytes.AddRange(worker);
            bytes.AddRange(LittleEndian(amount));
            bytes.Count.ShouldBe(81);
            return System.Security.Cryptography.SHA256.HashData(bytes.ToArray());
        }

        public static bool Verifies(byte[] leaf, int index, int count, IReadOnlyList<byte[]> path, byte[] root)
        {
            if (index < 0 || index >= count)
                return false;
            long fn = index, sn = count - 1;
            var r = leaf;
            foreach (var p in path)
            {
                if (sn == 0)
                    return false;
                if ((fn & 1) == 1 || fn == sn)
                {
                    r = Node(p, r);
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
                else
                {
                    r = Node(r, p);
                }
                fn >>= 1;
                sn >>= 1;
            }
            return sn == 0 && r.AsSpan().SequenceEqual(root);
        }

        private static byte[] Node(byte[] left, byte[] right) => System.Security.Cryptography.SHA256.HashData([0x01, .. left, .. right]);

        private static byte[] LittleEndian(ulong value)
        {
            var bytes = new byte[8];
            for (var i = 0; i < 8; i++)
                bytes[i] = (byte)(value >> (8 * i));
            return bytes;
        }
    }
}
