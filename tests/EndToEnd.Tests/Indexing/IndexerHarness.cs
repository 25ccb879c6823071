using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IoNet.Programs.Flows;
using IoNet.TestSupport;
using Npgsql;

namespace IoNet.EndToEnd.Tests.Indexing;

/// <summary>
/// Runs the indexer as real processes (the built IoNet.Indexer.dll) against a localnet and a PostgreSQL schema:
/// followers with a health endpoint, one-shot commands, and what the tests compare afterwards.
/// </summary>
public sealed class IndexerHarness(LocalnetChain chain, PostgresSchema schema)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The RPC the indexers use (a proxy's, for fault tests); the websocket is its port + 1.</summary>
    public string RpcUrl { get; set; } = chain.Process.RpcUrl.ToString();

    /// <summary>Extra settings for every process (--Indexer:Key=Value).</summary>
    public List<string> Settings { get; } = [];

    internal static string IndexerDll
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
        info.ArgumentList.Add($"--Indexer:RpcUrl={RpcUrl}");
        info.ArgumentList.Add($"--Indexer:AddressFile={chain.Process.AddressesFile}");
        info.ArgumentList.Add($"--Indexer:Schema={dbSchema}");
        info.ArgumentList.Add("--Indexer:PollInterval=00:00:00.300");
        info.ArgumentList.Add("--Indexer:LeaseTimeToLive=00:00:03");
        foreach (var setting in Settings)
            info.ArgumentList.Add(setting);
        info.Environment["IONET_DB"] = schema.ConnectionString;
        return info;
    }

    /// <summary>A follower; returns once /health answers unless <paramref name="waitHealthy"/> is false.</summary>
    public async Task<Follower> StartFollowerAsync(string dbSchema, string holder, bool waitHealthy = true)
    {
        var port = LoopbackPorts.Free();
        var process = Process.Start(Indexer(dbSchema, "follow", "--urls", $"http://127.0.0.1:{port}", $"--Indexer:Holder={holder}"))!;
        var follower = new Follower(process, port);
        process.OutputDataReceived += (_, e) => follower.Append(e.Data);
        process.ErrorDataReceived += (_, e) => follower.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!waitHealthy)
            return follower;
        // Polls /health until it answers, the process exits, or a guard against hanging runs out: not a speed check (a
        // loaded machine took over 30 s to start a follower and catch it up, and failed the old 30 s limit).
        using var http = new HttpClient();
        var guard = Stopwatch.StartNew();
        while (!process.HasExited && guard.Elapsed < TimeSpan.FromMinutes(5))
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health", Ct)).IsSuccessStatusCode)
                    return follower;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, Ct);
        }
        var exited = process.HasExited ? $"exited with code {process.ExitCode}" : $"not healthy after {guard.Elapsed.TotalSeconds:F0} s";
        follower.Kill();
        throw new TimeoutException($"the indexer {exited}:\n{follower.Output}");
    }

    /// <summary>Runs a one-shot command; Output is stdout only (report --json prints nothing else there), Errors is stderr.</summary>
    public async Task<(int Exit, string Output, string Errors)> RunToEndAsync(string dbSchema, params string[] args)
    {
        using var process = Process.Start(Indexer(dbSchema, args))!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await errors);
    }

    public async Task<JsonElement> ReportAsync(string dbSchema)
    {
        var (exit, output, errors) = await RunToEndAsync(dbSchema, "report", "--json");
        exit.ShouldBe(0, errors);
        return JsonDocument.Parse(output).RootElement;
    }

    public async Task WaitUntilVerifiedAsync(string dbSchema, int attempts = 40)
    {
        (int Exit, string Output, string Errors) last = default;
        for (var i = 0; i < attempts; i++)
        {
            last = await RunToEndAsync(dbSchema, "verify");
            if (last.Exit == 0)
                return;
            await Task.Delay(500, Ct);
        }
        throw new ShouldAssertException($"verify never agreed with the chain:\n{last.Output}\n{last.Errors}");
    }

    /// <summary>
    /// The stored events as one fingerprint: their count, the count of distinct ids, and a hash of every (id, type,
    /// stream, data) in id order. Deterministic ids make two runs over the same chain give the same fingerprint
    /// exactly when nothing was lost, doubled or changed. Marten's tombstones (left by an append that was rolled
    /// back, e.g. by a lost lease) are not chain events and are left out.
    /// </summary>
    public async Task<(long Events, long Distinct, string Hash)> EventFingerprintAsync(string dbSchema)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            $"""SELECT count(*), count(DISTINCT id), coalesce(md5(string_agg(id::text || type || stream_id || data::text, '|' ORDER BY id)), '') FROM "{dbSchema}".mt_events WHERE type <> 'tombstone'""",
            connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
    }

    private async Task<string> EventDifferenceAsync(string dbSchema, string reference)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"""
            (SELECT 'only in run: ' || stream_id || ' ' || type || ' ' || data::text FROM "{dbSchema}".mt_events WHERE type <> 'tombstone'
             EXCEPT SELECT 'only in run: ' || stream_id || ' ' || type || ' ' || data::text FROM "{reference}".mt_events)
            UNION ALL
            (SELECT 'only in clean: ' || stream_id || ' ' || type || ' ' || data::text FROM "{reference}".mt_events
             EXCEPT SELECT 'only in clean: ' || stream_id || ' ' || type || ' ' || data::text FROM "{dbSchema}".mt_events)
            LIMIT 20
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var lines = new List<string>();
        while (await reader.ReadAsync(Ct))
            lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }

    /// <summary>Live lease holders by source.</summary>
    public async Task<Dictionary<string, string>> HoldersAsync(string dbSchema)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"""SELECT source, holder FROM "{dbSchema}".ionet_source_leases WHERE expires_at > clock_timestamp()""", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(Ct))
            holders[reader.GetString(0)] = reader.GetString(1);
        return holders;
    }

    /// <summary>
    /// A small economy: per round a reward, a credit purchase (the worker's IO burn, then the IOSD mint naming it), a
    /// rental the worker funds and that is settled to it with a refund.
    /// </summary>
    public async Task EconomyAsync(int rounds)
    {
        var net = chain.Network;
        var treasury = chain.Authority("treasury");
        var escrow = chain.Authority("escrow");
        var iosd = chain.Authority("iosd");
        var worker = await chain.NewWalletAsync(ct: Ct);
        for (var i = 0; i < rounds; i++)
        {
            await chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, (ulong)i, Guid.NewGuid(), 1_00000000 + (ulong)i), [treasury], Ct);
            // Each round burns another amount: the same burn under the same blockhash would be the same transaction.
            var burned = 50_000_000 + (ulong)i;
            var burn = await chain.ExecuteAsync(worker, IoNetFlows.BuyCredits(worker.PublicKey, net.Io, burned, 1_000_000), [worker], Ct);
            await chain.ExecuteAsync(iosd, IoNetFlows.MintCredits(iosd.PublicKey, net.Iosd, worker.PublicKey,
                IoNet.Solana.Keys.Signature.Parse(burn.Transaction!.Signatures![0]), burned, 1_000_000), [iosd], Ct);
            var rental = Guid.NewGuid();
            await chain.ExecuteAsync(worker, IoNetFlows.FundRental(worker.PublicKey, net.Iosd, escrow.PublicKey, rental, 500_000), [worker], Ct);
            await chain.ExecuteAsync(escrow, IoNetFlows.SettleRental(escrow.PublicKey, net.Iosd, rental, [(worker.PublicKey, 300_000)], worker.PublicKey, 100_000), [escrow], Ct);
        }
    }

    /// <summary>A clean one-shot backfill into a new schema: the reference a crashed or faulty run must equal.</summary>
    public async Task<string> CleanRunAsync(string name)
    {
        var clean = schema.Another(name);
        var backfill = await RunToEndAsync(clean, "backfill");
        backfill.Exit.ShouldBe(0, backfill.Errors);
        return clean;
    }

    /// <summary>Report and stored events of <paramref name="dbSchema"/> equal those of <paramref name="reference"/>.</summary>
    public async Task ShouldEqualAsync(string dbSchema, string reference)
    {
        (await ReportAsync(dbSchema)).GetRawText().ShouldBe((await ReportAsync(reference)).GetRawText());
        var actual = await EventFingerprintAsync(dbSchema);
        var expected = await EventFingerprintAsync(reference);
        actual.Distinct.ShouldBe(actual.Events);
        actual.Events.ShouldBeGreaterThan(0);
        if (actual != expected)
            throw new ShouldAssertException($"stored events differ from the clean run's: {actual} vs {expected}\n{await EventDifferenceAsync(dbSchema, reference)}");
    }
}

/// <summary>A running follower process and everything it printed.</summary>
public sealed class Follower(Process process, int port)
{
    private readonly StringBuilder _output = new();

    public Process Process { get; } = process;

    public int Port { get; } = port;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    internal void Append(string? line)
    {
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>kill -9 (SIGKILL) of the process and its children.</summary>
    public void Kill()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async Task KillAndWaitAsync()
    {
        Kill();
        await Process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }
}
