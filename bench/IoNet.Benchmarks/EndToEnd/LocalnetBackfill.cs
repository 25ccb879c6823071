using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;
using Npgsql;

namespace IoNet.Benchmarks.EndToEnd;

/// <summary>
/// End-to-end backfill: puts N reward payments (memo + ATA create-idempotent + TransferChecked with a reference) on a
/// fresh localnet, then times the real indexer CLI (`IoNet.Indexer backfill`) crawling them all into a fresh schema,
/// async projections caught up. Not a BenchmarkDotNet suite: one long run, its time and transactions/s.
///
///   ./ionet bench backfill [N]          (default 100000; needs IONET_DB or the dev cluster of ./ionet db start)
/// </summary>
public static partial class LocalnetBackfill
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var database = Environment.GetEnvironmentVariable("IONET_DB")
            ?? throw new InvalidOperationException("set IONET_DB (./ionet bench backfill does it with the dev cluster)");
        await using var localnet = new LocalnetProcess();
        await localnet.InitializeAsync();
        using var rpc = new SolanaRpcClient(localnet.RpcUrl.ToString(), new SolanaRpcClientOptions { RequestTimeout = TimeSpan.FromMinutes(2) });
        var treasury = Keypair.Load(localnet.Addresses.GetProperty("authorities").GetProperty("treasury").GetProperty("keypair").GetString()!);
        var mints = localnet.Addresses.GetProperty("mints");
        var io = new MintInfo(PublicKey.Parse(mints.GetProperty("io").GetProperty("address").GetString()!), 8,
            PublicKey.Parse(mints.GetProperty("io").GetProperty("tokenProgram").GetString()!));
        var workers = Enumerable.Range(0, 200).Select(_ => Keypair.Generate().PublicKey).ToArray();
        var devices = Enumerable.Range(0, 500).Select(i => new Guid(i, 0, 0, new byte[8])).ToArray();

        Console.WriteLine($"localnet up on {localnet.RpcUrl}; sending {count} reward transactions");
        var sending = Stopwatch.StartNew();
        string? last = null;
        const int batchSize = 250;
        for (var start = 0; start < count; start += batchSize)
        {
            var blockhash = Blockhash.Parse((await rpc.GetLatestBlockhashAsync()).Value.Blockhash);
            var batch = new RpcBatch();
            var sent = new List<RpcBatchItem<string>>();
            for (var i = start; i < Math.Min(count, start + batchSize); i++)
            {
                var ixs = IoNetFlows.PayReward(treasury.PublicKey, io, workers[i % workers.Length], (ulong)(i / 1000), devices[i % devices.Length], 1 + (ulong)i);
                var tx = new Transaction(MessageCompiler.CompileLegacy(treasury.PublicKey, ixs, blockhash));
                tx.Sign([treasury]);
                sent.Add(batch.Add(RpcRequests.SendTransaction(tx.Serialize(), new SendTransactionOptions { SkipPreflight = true })));
            }
            await rpc.SendBatchAsync(batch);
            last = sent[^1].Value;
        }
        while ((await rpc.GetSignatureStatusesAsync([last!])).Value[0] is null)
            await Task.Delay(100);
        sending.Stop();
        Console.WriteLine($"sent and landed {count} transactions in {sending.Elapsed.TotalSeconds:0.0} s ({count / sending.Elapsed.TotalSeconds:0} tx/s)");

        var schema = $"bench_backfill_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            RepoPaths.RepoFile("Indexer", "bin", "Release", "net10.0", "IoNet.Indexer.dll"), "backfill",
            $"--Indexer:RpcUrl={localnet.RpcUrl}", $"--Indexer:AddressFile={localnet.AddressesFile}", $"--Indexer:Schema={schema}",
            "--Indexer:RequestsPerSecond=100000", "--Indexer:Commitment=Confirmed",
        })
            info.ArgumentList.Add(arg);
        info.Environment["IONET_DB"] = database;
        var backfill = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        backfill.Stop();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine(await errors);
            return process.ExitCode;
        }
        var done = DoneLine().Match(await output);

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*), count(DISTINCT stream_id) FROM \"{schema}\".mt_events WHERE type <> 'tombstone'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (events, streams) = (reader.GetInt64(0), reader.GetInt64(1));
        await reader.CloseAsync();
        await using (var drop = new NpgsqlCommand($"DROP SCHEMA \"{schema}\" CASCADE", connection))
            await drop.ExecuteNonQueryAsync();

        Console.WriteLine($"backfill of {streams} transactions ({events} events) in {backfill.Elapsed.TotalSeconds:0.0} s wall, process start and projections included: "
            + $"{streams / backfill.Elapsed.TotalSeconds:0} tx/s");
        if (done.Success)
            Console.WriteLine($"the indexer's own count: {done.Groups[1].Value} signatures crawled (every tracked address) in {done.Groups[2].Value} s");
        // Genesis adds its own mints (one stream or more) to the N rewards.
        return streams >= count ? 0 : 1;
    }

    [GeneratedRegex(@"backfill done: (\d+) transactions in ([\d.]+) s")]
    private static partial Regex DoneLine();
}
