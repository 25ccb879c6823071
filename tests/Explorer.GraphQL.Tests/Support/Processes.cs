using System.Diagnostics;
using System.Text;
using IoNet.TestSupport;

namespace IoNet.ExplorerGraphQL.Tests.Support;

/// <summary>A child process (the indexer, a node script) with everything it printed, line by line.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public ChildProcess(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        Process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        Process.OutputDataReceived += (_, e) => Append(e.Data, stdout: true);
        Process.ErrorDataReceived += (_, e) => Append(e.Data, stdout: false);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>The next line the process writes to stdout (null once it has exited).</summary>
    public async Task<string?> NextLineAsync(CancellationToken ct)
    {
        try
        {
            return await _lines.Reader.ReadAsync(ct);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    private void Append(string? line, bool stdout)
    {
        if (line is null)
        {
            if (stdout)
                _lines.Writer.TryComplete();
            return;
        }
        lock (_output)
            _output.AppendLine(line);
        if (stdout)
            _lines.Writer.TryWrite(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
        }
        Process.Dispose();
    }

    /// <summary>A script of Explorer.GraphQL/ui/check run with node (its packages come from ui/node_modules, installed by the build).</summary>
    public static ChildProcess Node(string script, params string[] args)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = RepoPaths.RepoFile("Explorer.GraphQL", "ui", "check") };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return new ChildProcess(info);
    }

    /// <summary>The indexer's follower (the built IoNet.Indexer.dll) on a localnet and a schema.</summary>
    public static ChildProcess Indexer(LocalnetChain chain, string connectionString, string schema)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var info = new ProcessStartInfo("dotnet");
        foreach (var arg in new[]
        {
            RepoPaths.RepoFile("Indexer", "bin", configuration, "net10.0", "IoNet.Indexer.dll"), "follow",
            "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}",
            $"--Indexer:RpcUrl={chain.Process.RpcUrl}", $"--Indexer:AddressFile={chain.Process.AddressesFile}",
            $"--Indexer:Schema={schema}", "--Indexer:PollInterval=00:00:00.200", "--Indexer:Holder=explorer-tests",
        })
            info.ArgumentList.Add(arg);
        info.Environment["IONET_DB"] = connectionString;
        return new ChildProcess(info);
    }
}
