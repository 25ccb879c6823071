using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IoNet.Indexer.Decoding;
using IoNet.Indexer.Leases;
using IoNet.Indexer.Store;
using IoNet.Ledger.Store;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace IoNet.Benchmarks.EndToEnd;

/// <summary>
/// End-to-end backfill: puts N reward payments (memo + ATA create-idempotent + TransferChecked with a reference) on a
/// localnet, then in the same run measures three things over the same transactions:
/// <list type="number">
/// <item>what localnet serves alone: every signature page of the treasury vault and every transaction by base64
/// getTransaction, in batches of 50 with 4 batches in flight, the answers not parsed (getTransaction/s served);</item>
/// <item>the ceiling of the store: parse + decode + map of those same answers and their bulk append (binary COPY,
/// 1000 per database transaction) into a fresh schema, in this process, no network, no projections;</item>
/// <item>the real indexer CLI (`IoNet.Indexer backfill`) crawling them all into a fresh schema, async projections
/// caught up: wall time, and the CPU seconds of each process (localnet, indexer, PostgreSQL) from /proc.</item>
/// </list>
/// Not a BenchmarkDotNet suite: one long run. The load average is printed before and after (the machine is shared).
///
///   ./ionet bench backfill [N] [--ledger DIR] [--serve-only] [--Indexer:Key=Value ...]
///
/// N defaults to 100000. With --ledger the localnet keeps its ledger in DIR (replayed at the next start), so a later
/// run with the same DIR sends only the rewards still missing. --serve-only stops after (1). Indexer settings are passed to the indexer as given
/// (for example --Indexer:Sources:mint.io=Blocks). Needs IONET_DB (./ionet bench uses the dev cluster).
/// </summary>
public static partial class LocalnetBackfill
{
    private const int FetchBatch = 50;
    private const int InFlight = 4;
    private const int CeilingLimit = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = 100_000;
        string? ledger = null;
        var serveOnly = false;
        var indexerSettings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--ledger" && i + 1 < args.Length)
                ledger = args[++i];
            else if (args[i] == "--serve-only")
                serveOnly = true;
            else if (args[i].StartsWith("--Indexer:", StringComparison.Ordinal))
                indexerSettings.Add(args[i]);
            else
                count = int.Parse(args[i], CultureInfo.InvariantCulture);
        }
        var database = Environment.GetEnvironmentVariable("IONET_DB")
            ?? throw new InvalidOperationException("set IONET_DB (./ionet bench backfill does it with the dev cluster)");
        Console.WriteLine($"start: {ProcessCpu.LoadAverage()} (2 cores: {Environment.ProcessorCount} processors seen)");

        var starting = Stopwatch.StartNew();
        await using var localnet = ledger is null ? new LocalnetProcess() : new LocalnetProcess { LedgerDirectory = ledger, StartTimeout = TimeSpan.FromHours(2) };
        await localnet.InitializeAsync();
        Console.WriteLine($"localnet up on {localnet.RpcUrl} in {starting.Elapsed.TotalSeconds:0.0} s (ledger {localnet.LedgerDirectory})");
        using var rpc = new SolanaRpcClient(localnet.RpcUrl.ToString(), new SolanaRpcClientOptions { RequestTimeout = TimeSpan.FromMinutes(2) });
        await SendRewardsAsync(localnet, rpc, count);

        var treasuryVault = localnet.Addresses.GetProperty("vaults").GetProperty("treasury").GetProperty("io").GetString()!;
        var (_, bodies) = await ServeAloneAsync(localnet, treasuryVault, rpc);
        if (serveOnly)
            return 0;
        await CeilingAsync(database, localnet, bodies);
        bodies.Clear();
        return await BackfillAsync(database, localnet, indexerSettings);
    }

    /// <summary>Sends the rewards the ledger does not hold yet (a count kept in the ledger folder), in JSON-RPC batches of 250.</summary>
    private static async Task SendRewardsAsync(LocalnetProcess localnet, SolanaRpcClient rpc, int count)
    {
        var marker = Path.Combine(localnet.LedgerDirectory, "bench-rewards");
        var present = File.Exists(marker) ? int.Parse(File.ReadAllText(marker).Trim(), CultureInfo.InvariantCulture) : 0;
        if (present >= count)
        {
            Console.WriteLine($"the ledger holds {present} rewards already: nothing to send");
            return;
        }
        var treasury = Keypair.Load(localnet.Addresses.GetProperty("authorities").GetProperty("treasury").GetProperty("keypair").GetString()!);
        var mints = localnet.Addresses.GetProperty("mints");
        var io = new MintInfo(PublicKey.Parse(mints.GetProperty("io").GetProperty("address").GetString()!), 8,
            PublicKey.Parse(mints.GetProperty("io").GetProperty("tokenProgram").GetString()!));
        // Deterministic recipients, so that rewards sent in several runs into one ledger look alike.
        var workers = Enumerable.Range(0, 200).Select(i => Keypair.FromSeed(Seed(i)).PublicKey).ToArray();
        var devices = Enumerable.Range(0, 500).Select(i => new Guid(i, 0, 0, new byte[8])).ToArray();

        Console.WriteLine($"sending {count - present} reward transactions ({present} already there)");
        var sending = Stopwatch.StartNew();
        string? last = null;
        const int batchSize = 250;
        for (var start = present; start < count; start += batchSize)
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
        await File.WriteAllTextAsync(marker, count.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"sent and landed {count - present} transactions in {sending.Elapsed.TotalSeconds:0.0} s ({(count - present) / sending.Elapsed.TotalSeconds:0} tx/s)");
    }

    private static byte[] Seed(int i)
    {
        var seed = new byte[32];
        BitConverter.TryWriteBytes(seed, i + 1);
        seed[31] = 0x1b;
        return seed;
    }

    /// <summary>
    /// localnet serving alone: every signature page of the treasury vault (1000 per page), then every one of those
    /// transactions by base64 getTransaction, 50 per batch, 4 batches in flight; the answers are kept (for the
    /// ceiling, up to 100,000 transactions) but not parsed while the clock runs.
    /// </summary>
    private static async Task<(List<string> Signatures, List<byte[]> Bodies)> ServeAloneAsync(LocalnetProcess localnet, string address, SolanaRpcClient rpc)
    {
        var paging = Stopwatch.StartNew();
        var signatures = new List<string>();
        string? before = null;
        while (true)
        {
            var page = await rpc.GetSignaturesForAddressAsync(address, new SignaturesForAddressOptions { Before = before, Limit = 1000, Commitment = Commitment.Confirmed });
            signatures.AddRange(page.Select(s => s.Signature));
            if (page.Count < 1000)
                break;
            before = page[^1].Signature;
        }
        paging.Stop();
        var rpcUrl = localnet.RpcUrl;
        var cpuBefore = ProcessCpu.Seconds(localnet.ProcessId);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var batches = signatures.Chunk(FetchBatch).ToArray();
        var bodies = new byte[batches.Length][];
        var next = -1;
        long bytes = 0;
        var serving = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            for (int k; (k = Interlocked.Increment(ref next)) < batches.Length;)
            {
                var body = new StringBuilder("[");
                for (var i = 0; i < batches[k].Length; i++)
                {
                    body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                        $$"""{"jsonrpc":"2.0","id":{{i}},"method":"getTransaction","params":["{{batches[k][i]}}",{"encoding":"base64","commitment":"confirmed","maxSupportedTransactionVersion":0}]}""");
                }
                using var content = new StringContent(body.Append(']').ToString(), new MediaTypeHeaderValue("application/json"));
                using var response = await http.PostAsync(rpcUrl, content);
                response.EnsureSuccessStatusCode();
                var answer = await response.Content.ReadAsByteArrayAsync();
                Interlocked.Add(ref bytes, answer.Length);
                if ((long)k * FetchBatch < CeilingLimit)
                    bodies[k] = answer;
            }
        }));
        serving.Stop();
        var cpu = ProcessCpu.Seconds(localnet.ProcessId) - cpuBefore;
        Console.WriteLine($"localnet alone: {signatures.Count} signatures in {signatures.Count / 1000 + 1} pages in {paging.Elapsed.TotalSeconds:0.00} s; "
            + $"{signatures.Count} getTransaction (base64, batches of {FetchBatch}, {InFlight} in flight) in {serving.Elapsed.TotalSeconds:0.00} s: "
            + $"**{signatures.Count / serving.Elapsed.TotalSeconds:0} getTransaction/s served**, {bytes / serving.Elapsed.TotalSeconds / 1e6:0} MB/s, "
            + $"localnet CPU {cpu:0.0} s ({cpu * 1e6 / signatures.Count:0} µs per transaction)");
        return (signatures, bodies.Where(b => b is not null).ToList());
    }

    /// <summary>Parse + decode + map and bulk append of the served answers, in this process: the store's ceiling for the same run.</summary>
    private static async Task CeilingAsync(string database, LocalnetProcess localnet, List<byte[]> bodies)
    {
        var network = Indexer.Configuration.NetworkAddresses.Load(localnet.AddressesFile).Network;
        var responses = bodies.SelectMany(Split).ToList();
        var schema = $"bench_ceiling_{DateTime.UtcNow:yyyyMMddHHmmss}";
        using var store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, database, schema);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
            o.Schema.For<SourceCheckpoint>();
        });
        var leases = new SourceLeases(database, schema, TimeSpan.FromHours(1));
        await leases.EnsureSchemaAsync(CancellationToken.None);
        await leases.TryAcquireAsync("bench", "bench", CancellationToken.None);
        var writer = new BulkChainEventWriter(store, leases);
        await writer.EnsureSchemaAsync(CancellationToken.None);
        var decoding = new Stopwatch();
        var appending = new Stopwatch();
        var checkpoint = new SourceCheckpoint();
        var appended = 0;
        var total = Stopwatch.StartNew();
        foreach (var chunk in responses.Chunk(1000))
        {
            decoding.Start();
            var batch = new List<TransactionEvents>(chunk.Length);
            foreach (var bytes in chunk)
            {
                var decoded = TransactionDecoder.Decode(RpcJson.ParseTransaction(bytes)!);
                batch.Add(new TransactionEvents(decoded.Signature.ToString(), ChainEventMapper.Map(decoded, network).Events));
            }
            decoding.Stop();
            appending.Start();
            checkpoint.OldestSignature = batch[0].Signature;
            appended += await writer.AppendAsync("bench", "bench", batch, checkpoint, CancellationToken.None);
            appending.Stop();
        }
        total.Stop();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"ceiling: parse + decode + map + bulk append of {responses.Count} of those answers ({appended} appended) in {total.Elapsed.TotalSeconds:0.00} s: "
            + $"**{responses.Count / total.Elapsed.TotalSeconds:0} tx/s** (parse + decode + map {decoding.Elapsed.TotalSeconds:0.00} s = "
            + $"{responses.Count / decoding.Elapsed.TotalSeconds:0} tx/s; bulk append {appending.Elapsed.TotalSeconds:0.00} s = {responses.Count / appending.Elapsed.TotalSeconds:0} tx/s)");
    }

    /// <summary>The envelopes of a batch answer, each as its own document (what RpcJson.ParseTransaction reads).</summary>
    private static IEnumerable<byte[]> Split(byte[] body)
    {
        var envelopes = new List<byte[]>();
        var reader = new Utf8JsonReader(body);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            envelopes.Add(body[start..(int)(reader.TokenStartIndex + 1)]);
        }
        return envelopes;
    }

    private static async Task<int> BackfillAsync(string database, LocalnetProcess localnet, List<string> indexerSettings)
    {
        var schema = $"bench_backfill_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            RepoPaths.RepoFile("Indexer", "bin", "Release", "net10.0", "IoNet.Indexer.dll"), "backfill",
            $"--Indexer:RpcUrl={localnet.RpcUrl}", $"--Indexer:AddressFile={localnet.AddressesFile}", $"--Indexer:Schema={schema}",
            "--Indexer:RequestsPerSecond=100000", "--Indexer:Commitment=Confirmed",
        }.Concat(indexerSettings))
            info.ArgumentList.Add(arg);
        info.Environment["IONET_DB"] = database;

        var postmaster = await PostmasterAsync(database);
        var load = ProcessCpu.LoadAverage();
        var localnetBefore = ProcessCpu.Seconds(localnet.ProcessId);
        var postgresBefore = ProcessCpu.Tree(postmaster);
        var childrenBefore = ProcessCpu.ReapedChildrenOfSelf();
        var backfill = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        backfill.Stop();
        var indexerCpu = ProcessCpu.ReapedChildrenOfSelf() - childrenBefore;
        var localnetCpu = ProcessCpu.Seconds(localnet.ProcessId) - localnetBefore;
        var postgresCpu = ProcessCpu.Tree(postmaster) - postgresBefore;
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

        var wall = backfill.Elapsed.TotalSeconds;
        Console.WriteLine($"backfill of {streams} transactions ({events} events) in {wall:0.0} s wall, process start and projections included: "
            + $"**{streams / wall:0} tx/s**" + (indexerSettings.Count > 0 ? $" (with {string.Join(' ', indexerSettings)})" : ""));
        if (done.Success)
            Console.WriteLine($"the indexer's own count: {done.Groups[1].Value} signatures crawled (every tracked address) in {done.Groups[2].Value} s");
        Console.WriteLine($"CPU during the backfill ({2 * wall:0.0} core-seconds on 2 cores): indexer {indexerCpu:0.0} s, localnet {localnetCpu:0.0} s, "
            + $"PostgreSQL {postgresCpu:0.0} s, together {indexerCpu + localnetCpu + postgresCpu:0.0} s "
            + $"({(indexerCpu + localnetCpu + postgresCpu) / (2 * wall):P0} of both cores); per transaction: indexer {indexerCpu * 1e6 / streams:0} µs, "
            + $"localnet {localnetCpu * 1e6 / streams:0} µs, PostgreSQL {postgresCpu * 1e6 / streams:0} µs");
        Console.WriteLine($"before the backfill: {load}; after: {ProcessCpu.LoadAverage()}");
        // Genesis adds its own mints (one stream or more) to the N rewards.
        return 0;
    }

    /// <summary>The PostgreSQL postmaster's process id: the parent of this connection's backend.</summary>
    private static async Task<int> PostmasterAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return ProcessCpu.Parent((int)(await command.ExecuteScalarAsync())!);
    }

    [GeneratedRegex(@"backfill done: (\d+) transactions in ([\d.]+) s")]
    private static partial Regex DoneLine();
}
