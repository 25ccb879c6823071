using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IoNet.Programs.Flows;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Indexing;

/// <summary>
/// The indexer as real processes against the real localnet and PostgreSQL: following, killed with -9 and restarted,
/// two at once sharing the sources through leases; verify agrees with the chain and the report is exact.
/// </summary>
public sealed class IndexerProcessTests(LocalnetChain chain, PostgresSchema schema) : IClassFixture<LocalnetChain>, IClassFixture<PostgresSchema>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string IndexerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            return RepoPaths.RepoFile("Indexer", "bin", configuration, "net10.0", "IoNet.Indexer.dll");
        }
    }

    private ProcessStartInfo Indexer(string dbSchema, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(IndexerDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.ArgumentList.Add($"--Indexer:RpcUrl={chain.Process.RpcUrl}");
        info.ArgumentList.Add($"--Indexer:AddressFile={chain.Process.AddressesFile}");
        info.ArgumentList.Add($"--Indexer:Schema={dbSchema}");
        info.ArgumentList.Add("--Indexer:PollInterval=00:00:00.300");
        info.ArgumentList.Add("--Indexer:LeaseTimeToLive=00:00:03");
        info.Environment["IONET_DB"] = schema.ConnectionString;
        return info;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(Process Process, int Port)> StartFollower(string dbSchema, string holder)
    {
        var port = FreePort();
        var process = Process.Start(Indexer(dbSchema, "follow", "--urls", $"http://127.0.0.1:{port}", $"--Indexer:Holder={holder}"))!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 150; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health", Ct)).IsSuccessStatusCode)
                    return (process, port);
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, Ct);
        }
        process.Kill(true);
        lock (output)
            throw new TimeoutException($"the indexer did not become healthy:\n{output}");
    }

    /// <summary>Runs a one-shot command; Output is stdout only (report --json prints nothing else there), Errors is stderr.</summary>
    private async Task<(int Exit, string Output, string Errors)> RunToEnd(string dbSchema, params string[] args)
    {
        using var process = Process.Start(Indexer(dbSchema, args))!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await errors);
    }

    private async Task<JsonElement> Report(string dbSchema)
    {
        var (exit, output, errors) = await RunToEnd(dbSchema, "report", "--json");
        exit.ShouldBe(0, errors);
        return JsonDocument.Parse(output).RootElement;
    }

    private async Task Economy(int rounds)
    {
        var net = chain.Network;
        var treasury = chain.Authority("treasury");
        var escrow = chain.Authority("escrow");
        var worker = await chain.NewWalletAsync(ct: Ct);
        for (var i = 0; i < rounds; i++)
        {
            await chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, (ulong)i, Guid.NewGuid(), 1_000 + (ulong)i), [treasury], Ct);
            var rental = Guid.NewGuid();
            var buyer = chain.Authority("faucet");
            await chain.ExecuteAsync(chain.Authority("iosd"), [
                .. IoNetFlows.MintCredits(chain.Authority("iosd").PublicKey, net.Iosd, buyer.PublicKey, new IoNet.Solana.Keys.Signature(Guid.NewGuid().ToByteArray().Concat(new byte[48]).ToArray()), 100_000_000, 1_000_000)], [chain.Authority("iosd")], Ct);
            await chain.ExecuteAsync(buyer, IoNetFlows.FundRental(buyer.PublicKey, net.Iosd, escrow.PublicKey, rental, 500_000), [buyer], Ct);
            await chain.ExecuteAsync(escrow, IoNetFlows.SettleRental(escrow.PublicKey, net.Iosd, rental, [(worker.PublicKey, 300_000)], buyer.PublicKey, 100_000), [escrow], Ct);
        }
    }

    private async Task WaitUntilVerified(string dbSchema)
    {
        (int Exit, string Output, string Errors) last = default;
        for (var i = 0; i < 40; i++)
        {
            last = await RunToEnd(dbSchema, "verify");
            if (last.Exit == 0)
                return;
            await Task.Delay(500, Ct);
        }
        throw new ShouldAssertException($"verify never agreed with the chain:\n{last.Output}\n{last.Errors}");
    }

    [Fact]
    public async Task a_follower_killed_with_minus_9_and_restarted_ends_where_a_clean_run_does_and_verify_agrees()
    {
        var dbSchema = schema.Another("crash");
        var (first, _) = await StartFollower(dbSchema, "crashy");
        await Economy(3);
        first.Kill(entireProcessTree: true); // kill -9 mid-follow
        await first.WaitForExitAsync(Ct);
        await Economy(2);
        var (second, _) = await StartFollower(dbSchema, "second");
        try
        {
            await WaitUntilVerified(dbSchema);
        }
        finally
        {
            second.Kill(true);
        }

        var clean = schema.Another("clean");
        var backfill = await RunToEnd(clean, "backfill");
        backfill.Exit.ShouldBe(0, backfill.Errors);
        var crashed = await Report(dbSchema);
        var fresh = await Report(clean);
        crashed.GetRawText().ShouldBe(fresh.GetRawText());
    }

    [Fact]
    public async Task two_followers_share_the_sources_and_the_survivor_takes_over_the_killed_ones()
    {
        var dbSchema = schema.Another("pair");
        var (a, _) = await StartFollower(dbSchema, "a");
        var (b, bPort) = await StartFollower(dbSchema, "b");
        try
        {
            await Economy(2);
            await WaitUntilVerified(dbSchema);

            a.Kill(true);
            await a.WaitForExitAsync(Ct);
            var watch = Stopwatch.StartNew();
            await Economy(1);
            await WaitUntilVerified(dbSchema);
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
            // The survivor has crawled by now: its Prometheus endpoint shows the indexer's metrics.
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{bPort}/metrics", Ct);
            metrics.ShouldContain("ionet_indexer_lag_slots");
            metrics.ShouldContain("ionet_indexer_transactions");
        }
        finally
        {
            a.Kill(true);
            b.Kill(true);
        }
        var report = await Report(dbSchema);
        report.GetProperty("rewardsByWallet").EnumerateObject().Count().ShouldBeGreaterThan(0);
    }
}
