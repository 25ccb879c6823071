using System.Diagnostics;

namespace IoNet.EndToEnd.Tests.Cli;

/// <summary>A command run to its end as a real process: exit code, stdout, stderr.</summary>
public sealed record CliResult(int Exit, string Output, string Errors)
{
    /// <summary>stderr's non-empty lines.</summary>
    public string[] ErrorLines => Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {Exit}\nstdout:\n{Output}\nstderr:\n{Errors}";
}

public static class CliRun
{
    /// <summary>Settings the machine's environment might carry; each run starts without them and gets only what the test gives.</summary>
    private static readonly string[] Inherited = ["IONET_DB", "IONET_PG_PORT", "IONET_LOCALNET_PORT", "IONET_INDEXER_PORT", "IONET_MARKETPLACE_PORT",
        "IONET_EXPLORER_PORT", "IONET_ADDRESS_FILE", "ConnectionStrings__Ledger", "ASPNETCORE_URLS", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"];

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var name in Inherited.Concat(info.Environment.Keys.Where(k => k.StartsWith("Indexer__", StringComparison.Ordinal)).ToList()))
            info.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return info;
    }

    public static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(StartInfo(file, args, environment, workingDirectory))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return new CliResult(process.ExitCode, await output, await errors);
    }

    /// <summary>The built indexer (dotnet IoNet.Indexer.dll ARGS).</summary>
    public static Task<CliResult> IndexerAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        RunAsync("dotnet", [Indexing.IndexerHarness.IndexerDll, .. args], environment, workingDirectory);
}
