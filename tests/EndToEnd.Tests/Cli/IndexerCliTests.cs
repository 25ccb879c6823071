using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Cli;

/// <summary>
/// The indexer's command line as a user meets it, run as the built IoNet.Indexer.dll against a real localnet and
/// PostgreSQL: usage on --help, one line and exit 2 for what it refuses, the flags really applied, the database or the
/// node out of reach as one clear line, status for scripts, and appsettings.json read from the app's own folder.
/// </summary>
public sealed partial class IndexerCliTests(LocalnetProcess localnet, PostgresSchema schema) : IClassFixture<LocalnetProcess>, IClassFixture<PostgresSchema>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A database nobody listens on: anything that touched it would fail.</summary>
    private static string ClosedDatabase(int port) => $"Host=127.0.0.1;Port={port};Username=postgres;Database=ionet;Timeout=5";

    private static string ClosedRpc() => $"http://127.0.0.1:{ClosedPort()}";

    /// <summary>Sockets bound and never listening, kept for the life of the test process.</summary>
    private static readonly List<System.Net.Sockets.Socket> Closed = [];

    /// <summary>
    /// A loopback port that refuses every connection and stays that way: bound by this process without listening, so
    /// that no concurrent test (another project's server) can take it between choosing it and using it, as a merely
    /// free port could be under load.
    /// </summary>
    private static int ClosedPort()
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        lock (Closed)
            Closed.Add(socket);
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private Dictionary<string, string> Database() => new() { ["IONET_DB"] = schema.ConnectionString };

    [Theory]
    [InlineData("--help", "ionet indexer [command] [options]")]
    [InlineData("-h", "ionet indexer [command] [options]")]
    [InlineData("follow --help", "ionet indexer follow [options]")]
    [InlineData("backfill --help", "ionet indexer backfill [options]")]
    [InlineData("status --help", "ionet indexer status [options]")]
    [InlineData("verify --help", "ionet indexer verify [options]")]
    [InlineData("report --help", "ionet indexer report [options]")]
    public async Task help_prints_the_usage_and_exits_0_without_starting_anything(string line, string usage)
    {
        // No database and no address file: a command that started would fail (or, for follow, keep running).
        var run = await CliRun.IndexerAsync(line.Split(' '), new Dictionary<string, string> { ["IONET_DB"] = ClosedDatabase(ClosedPort()) });

        run.Exit.ShouldBe(0, run.ToString());
        run.Output.ShouldContain("Usage:");
        run.Output.ShouldContain(usage);
        run.Output.ShouldContain("--rpc <url>");
        run.Errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("status --bogus", "'--bogus'")]
    [InlineData("bogus", "'bogus'")]
    [InlineData("follow --json", "'--json'")]
    [InlineData("report --json extra", "'extra'")]
    [InlineData("status --rpc not-a-url", "--rpc 'not-a-url'")]
    [InlineData("status --rpc", "--rpc")]
    [InlineData("backfill --db nonsense", "--db 'nonsense'")]
    [InlineData("status --addresses /no/such/addresses.json", "/no/such/addresses.json")]
    [InlineData("follow --urls ftp://127.0.0.1:1", "--urls")]
    [InlineData("status --Indexer:PageSize=many", "Indexer:PageSize")]
    [InlineData("status --Indexer:NoSuchSetting=1", "Indexer:NoSuchSetting")]
    [InlineData("status --Indexer:PageSize", "--Indexer:PageSize=value")]
    [InlineData("status --Nowhere:Key=1", "--Nowhere:Key")]
    public async Task an_unknown_flag_or_a_bad_value_is_one_line_on_stderr_and_exit_2(string line, string named)
    {
        var run = await CliRun.IndexerAsync(line.Split(' '), new Dictionary<string, string> { ["IONET_DB"] = ClosedDatabase(ClosedPort()) });

        run.Exit.ShouldBe(2, run.ToString());
        run.Output.ShouldBeEmpty();
        run.ErrorLines.Length.ShouldBe(1, run.ToString());
        run.ErrorLines[0].ShouldStartWith("ionet indexer: ");
        run.ErrorLines[0].ShouldContain(named);
    }

    [Fact]
    public async Task status_json_shows_the_rpc_addresses_and_database_the_flags_gave_with_full_addresses()
    {
        var rpc = ClosedRpc();
        // The flags win over the environment and over --Indexer:Key=value.
        var run = await CliRun.IndexerAsync(
            ["status", "--json", "--Indexer:RpcUrl=http://127.0.0.1:1", "--rpc", rpc, "--addresses", localnet.AddressesFile, "--db", schema.ConnectionString,
                $"--Indexer:Schema={schema.Name}"],
            new Dictionary<string, string> { ["IONET_DB"] = ClosedDatabase(ClosedPort()), ["Indexer__AddressFile"] = "/no/such/file.json" });

        run.Exit.ShouldBe(0, run.ToString());
        var status = JsonDocument.Parse(run.Output).RootElement;
        status.GetProperty("rpc").GetString().ShouldBe(rpc);
        status.GetProperty("addressFile").GetString().ShouldBe(localnet.AddressesFile);
        var server = new Npgsql.NpgsqlConnectionStringBuilder(schema.ConnectionString);
        status.GetProperty("database").GetString().ShouldBe($"{server.Host}:{server.Port}/{server.Database}");
        status.GetProperty("schema").GetString().ShouldBe(schema.Name);
        // The node is down: the checkpoints are still shown, with why the chain's slot is unknown.
        status.GetProperty("chainSlot").ValueKind.ShouldBe(JsonValueKind.Null);
        status.GetProperty("chainError").GetString()!.ShouldContain("connection failed");
        var sources = status.GetProperty("sources").EnumerateArray().ToList();
        sources.Count.ShouldBe(8);
        var io = sources.Single(s => s.GetProperty("kind").GetString() == "mint:io");
        var ioMint = localnet.Addresses.GetProperty("mints").GetProperty("io").GetProperty("address").GetString()!;
        io.GetProperty("address").GetString().ShouldBe(ioMint);
        io.GetProperty("name").GetString().ShouldBe($"mint:io:{ioMint}");
        io.GetProperty("backfill").GetString().ShouldBe("not started");
    }

    [Fact]
    public async Task status_redirected_is_plain_text_with_full_addresses()
    {
        var run = await CliRun.IndexerAsync(["status", "--rpc", localnet.RpcUrl.ToString(), "--addresses", localnet.AddressesFile, $"--Indexer:Schema={schema.Name}"],
            Database());

        run.Exit.ShouldBe(0, run.ToString());
        run.Output.ShouldNotContain("…");
        run.Output.ShouldNotContain("─"); // no table borders
        foreach (var mint in new[] { "io", "iosd", "usdc" })
            run.Output.ShouldContain($"mint:{mint}:{localnet.Addresses.GetProperty("mints").GetProperty(mint).GetProperty("address").GetString()}");
        ChainSlotLine().IsMatch(run.Output).ShouldBeTrue(run.Output);
    }

    [Fact]
    public async Task backfill_crawls_the_node_given_by_rpc_over_the_environments()
    {
        var dbSchema = schema.Another("backfill");
        var run = await CliRun.IndexerAsync(["backfill", "--rpc", localnet.RpcUrl.ToString(), "--addresses", localnet.AddressesFile, $"--Indexer:Schema={dbSchema}"],
            new Dictionary<string, string>(Database()) { ["Indexer__RpcUrl"] = ClosedRpc() });

        run.Exit.ShouldBe(0, run.ToString());
        var done = BackfillDone().Match(run.Output);
        done.Success.ShouldBeTrue(run.ToString());
        long.Parse(done.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0); // localnet's genesis transactions
    }

    [Theory]
    [InlineData("status")]
    [InlineData("backfill")]
    [InlineData("follow")]
    public async Task an_unreachable_database_is_one_line_naming_the_server_and_the_fix_with_exit_2(string command)
    {
        var port = ClosedPort();
        List<string> args = [command, "--addresses", localnet.AddressesFile, "--rpc", localnet.RpcUrl.ToString()];
        if (command == "follow")
            args.AddRange(["--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}"]);
        var run = await CliRun.IndexerAsync(args, new Dictionary<string, string> { ["IONET_DB"] = ClosedDatabase(port) });

        run.Exit.ShouldBe(2, run.ToString());
        run.Output.ShouldBeEmpty();
        run.ErrorLines.Length.ShouldBe(1, run.ToString());
        run.ErrorLines[0].ShouldContain($"127.0.0.1:{port}");
        run.ErrorLines[0].ShouldContain("./ionet db start");
    }

    [Fact]
    public async Task a_backfill_against_a_node_that_does_not_answer_fails_with_one_clear_line()
    {
        var rpc = ClosedRpc();
        var run = await CliRun.IndexerAsync(["backfill", "--rpc", rpc, "--addresses", localnet.AddressesFile, $"--Indexer:Schema={schema.Another("deadnode")}"], Database());

        run.Exit.ShouldBe(2, run.ToString());
        run.Output.ShouldNotContain("backfill done");
        run.ErrorLines.Length.ShouldBe(1, run.ToString());
        run.ErrorLines[0].ShouldContain($"the node at {rpc} does not answer");
    }

    [Fact]
    public async Task appsettings_json_is_read_from_the_app_folder_when_started_from_elsewhere()
    {
        var elsewhere = Directory.CreateTempSubdirectory("ionet-cwd-").FullName;
        var port = LoopbackPorts.Free();
        var output = new StringBuilder();
        var info = CliRun.StartInfo("dotnet",
            [Indexing.IndexerHarness.IndexerDll, "follow", "--urls", $"http://127.0.0.1:{port}", "--rpc", localnet.RpcUrl.ToString(),
                "--addresses", localnet.AddressesFile, $"--Indexer:Schema={schema.Another("appsettings")}"],
            Database(), elsewhere);
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Healthy: the schema was created and a crawl pass finished, so whatever would be logged has been.
            using var http = new HttpClient();
            var healthy = false;
            for (var i = 0; i < 300 && !healthy && !process.HasExited; i++)
            {
                try
                {
                    healthy = (await http.GetAsync($"http://127.0.0.1:{port}/health", Ct)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                }
                if (!healthy)
                    await Task.Delay(200, Ct);
            }
            healthy.ShouldBeTrue(Text(output));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
            Directory.Delete(elsewhere, recursive: true);
        }
        var log = Text(output);
        log.ShouldContain($"Content root path: {AppFolder()}");
        // appsettings.json's "Marten": "Warning": none of Marten's info lines, so none of the ~750 lines of schema SQL.
        log.ShouldNotContain("info: Marten");
        log.ShouldNotContain("CREATE OR REPLACE FUNCTION");
        log.ShouldContain("info: Microsoft.Hosting.Lifetime"); // the Default level, Information, still applies
    }

    private static string AppFolder() => Path.GetDirectoryName(Indexing.IndexerHarness.IndexerDll)! + Path.DirectorySeparatorChar;

    private static string Text(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }

    [GeneratedRegex(@"backfill done: (\d+) transactions in [\d.]+ s")]
    private static partial Regex BackfillDone();

    [GeneratedRegex(@"^chain slot\s+\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex ChainSlotLine();
}
