using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Cli;

/// <summary>
/// The ./ionet script as a user runs it: a taken port is one line naming the port and the variable that moves it,
/// before anything is installed, created or started (checked on a copy of the script in an empty folder, so nothing
/// of this checkout's .data is touched); `./ionet indexer` lets the user's flags win over its own defaults.
/// </summary>
public sealed class IonetScriptTests(LocalnetProcess localnet, PostgresSchema schema) : IClassFixture<LocalnetProcess>, IClassFixture<PostgresSchema>
{
    private static string CopyOfScript()
    {
        var folder = Directory.CreateTempSubdirectory("ionet-script-").FullName;
        File.Copy(RepoPaths.RepoFile("ionet"), Path.Combine(folder, "ionet"));
        return folder;
    }

    [Fact]
    public async Task db_start_on_a_taken_port_names_the_port_and_IONET_PG_PORT_and_creates_nothing()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var folder = CopyOfScript();
        try
        {
            var run = await CliRun.RunAsync("bash", [Path.Combine(folder, "ionet"), "db", "start"],
                new Dictionary<string, string> { ["IONET_PG_PORT"] = $"{port}" });

            run.Exit.ShouldNotBe(0, run.ToString());
            run.ErrorLines.Length.ShouldBe(1, run.ToString());
            run.ErrorLines[0].ShouldContain($"127.0.0.1:{port}");
            run.ErrorLines[0].ShouldContain("IONET_PG_PORT");
            Directory.Exists(Path.Combine(folder, ".data")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("IONET_PG_PORT", 0)]
    [InlineData("IONET_LOCALNET_PORT", 0)]
    [InlineData("IONET_LOCALNET_PORT", 1)] // its websocket, the port + 1
    [InlineData("IONET_INDEXER_PORT", 0)]
    [InlineData("IONET_MARKETPLACE_PORT", 0)]
    [InlineData("IONET_EXPLORER_PORT", 0)]
    public async Task up_on_a_taken_port_names_the_port_and_its_variable_before_starting_anything(string variable, int offset)
    {
        // Every service on a free port of its own, then the one under test on a port something already listens on.
        var environment = new Dictionary<string, string>
        {
            ["IONET_PG_PORT"] = $"{LoopbackPorts.Free()}", ["IONET_LOCALNET_PORT"] = $"{LoopbackPorts.FreePair()}",
            ["IONET_INDEXER_PORT"] = $"{LoopbackPorts.Free()}", ["IONET_MARKETPLACE_PORT"] = $"{LoopbackPorts.Free()}",
            ["IONET_EXPLORER_PORT"] = $"{LoopbackPorts.Free()}",
        };
        var port = offset == 0 ? LoopbackPorts.Free() : LoopbackPorts.FreePair();
        environment[variable] = $"{port}";
        using var taken = new TcpListener(IPAddress.Loopback, port + offset);
        taken.Start();
        var folder = CopyOfScript();
        try
        {
            var run = await CliRun.RunAsync("bash", [Path.Combine(folder, "ionet"), "up"], environment);

            run.Exit.ShouldNotBe(0, run.ToString());
            run.Output.ShouldBeEmpty();
            run.ErrorLines.Length.ShouldBe(1, run.ToString());
            run.ErrorLines[0].ShouldContain($"127.0.0.1:{port + offset}");
            run.ErrorLines[0].ShouldContain(variable);
            Directory.Exists(Path.Combine(folder, ".data")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ionet_indexer_lets_the_users_flags_win_over_its_own_defaults()
    {
        var ionet = RepoPaths.RepoFile("ionet");
        var rpc = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var environment = new Dictionary<string, string> { ["IONET_DB"] = schema.ConnectionString };
        string[] common = ["indexer", "status", "--json", "--rpc", rpc, $"--Indexer:Schema={schema.Name}"];

        var byFlag = await CliRun.RunAsync("bash", [ionet, .. common, "--addresses", localnet.AddressesFile], environment);
        var bySetting = await CliRun.RunAsync("bash", [ionet, .. common, $"--Indexer:AddressFile={localnet.AddressesFile}"], environment);

        foreach (var run in new[] { byFlag, bySetting })
        {
            run.Exit.ShouldBe(0, run.ToString());
            var status = JsonDocument.Parse(run.Output).RootElement;
            status.GetProperty("addressFile").GetString().ShouldBe(localnet.AddressesFile);
            status.GetProperty("rpc").GetString().ShouldBe(rpc);
        }
        // The second run found the build current: no `dotnet build` when nothing changed.
        bySetting.Errors.ShouldNotContain("building Indexer");
    }
}
