using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace IoNet.TestSupport;

/// <summary>
/// A real localnet (LiteSVM behind the Solana JSON-RPC, localnet/src/main.js) in its own process on free loopback
/// ports, with a throwaway ledger directory; a class fixture. <see cref="RestartAsync"/> stops and starts it on the
/// same ledger, <see cref="Kill"/> ends it abruptly.
/// </summary>
public sealed class LocalnetProcess : IAsyncLifetime
{
    private string? _ledgerDirectory;
    private bool _ownsLedger = true;
    private Process? _process;

    /// <summary>
    /// The node's ledger folder: a throwaway one, deleted on dispose; or, when set, one that outlives the process (its
    /// history is replayed at start) and is kept.
    /// </summary>
    public string LedgerDirectory
    {
        get => _ledgerDirectory ??= Directory.CreateTempSubdirectory("ionet-localnet-").FullName;
        init
        {
            Directory.CreateDirectory(value);
            _ledgerDirectory = Path.GetFullPath(value);
            _ownsLedger = false;
        }
    }

    /// <summary>How long the start may take (a long history is replayed first). 60 s by default.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The node process's id while it runs (for CPU accounting in the benchmarks).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("localnet is not running");

    public int Port { get; private set; }

    /// <summary>Fixed keypairs, seeds and start time (the default); false gives block times that follow the wall clock.</summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>The slot length (localnet's --block-time-ms); a blockhash expires after 150 slots.</summary>
    public int BlockTimeMs { get; init; } = 400;

    public Uri RpcUrl => new($"http://127.0.0.1:{Port}");

    public Uri WebsocketUrl => new($"ws://127.0.0.1:{Port + 1}");

    /// <summary>localnet's genesis addresses file (mints, authorities with keypair paths, vaults).</summary>
    public JsonElement Addresses { get; private set; }

    public string AddressesFile => Path.Combine(LedgerDirectory, "addresses.json");

    public async ValueTask InitializeAsync() => await StartAsync();

    public async Task StartAsync(CancellationToken ct = default)
    {
        if (Port == 0)
            Port = LoopbackPorts.FreePair();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.RepoFile("localnet"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "src/main.js", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ledger", LedgerDirectory,
                     "--block-time-ms", BlockTimeMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        if (Deterministic)
            info.ArgumentList.Add("--deterministic");
        _process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var errors = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        _process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new InvalidOperationException($"localnet did not report ready within {StartTimeout.TotalSeconds:0} s. stderr:\n{errors}");
            }
            if (line is null)
                throw new InvalidOperationException($"localnet exited (code {(_process.HasExited ? _process.ExitCode : -1)}). stderr:\n{errors}");
            if (line.StartsWith("localnet ready", StringComparison.Ordinal))
                break;
        }
        // Keep draining stdout so the child never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            try { while (await _process.StandardOutput.ReadLineAsync() is not null) { } }
            catch (InvalidOperationException) { }
        }, CancellationToken.None);
        Addresses = JsonDocument.Parse(await File.ReadAllTextAsync(AddressesFile, ct)).RootElement.Clone();
    }

    /// <summary>Stops the process (as a crash would) and starts it again on the same ledger and ports.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        Kill();
        await StartAsync(ct);
    }

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        if (_ownsLedger && _ledgerDirectory is not null)
        {
            try { Directory.Delete(LedgerDirectory, recursive: true); }
            catch (IOException) { }
        }
        return ValueTask.CompletedTask;
    }
}
