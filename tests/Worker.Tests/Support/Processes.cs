using System.Diagnostics;
using System.Text;

namespace IoNet.Worker.Tests.Support;

/// <summary>A process a test started (Marketplace.Api or the Worker), with everything it printed.</summary>
public sealed class TestProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();

    private TestProcess(string name, Process process)
    {
        Name = name;
        Process = process;
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Where a project's build put its dll, in the configuration the tests were built in.</summary>
    public static string Built(string project, string dll)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return IoNet.TestSupport.RepoPaths.RepoFile(project, "bin", configuration, "net10.0", dll);
    }

    public static TestProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        return new TestProcess(name, Process.Start(info)!);
    }

    /// <summary>Runs to the end (a guard of 3 minutes only stops a hanging test); the exit code and the output.</summary>
    public async Task<(int Exit, string Output)> ExitedAsync()
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await Process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not exit:\n{Output}");
        }
        Process.WaitForExit(); // drains the redirected output
        return (Process.ExitCode, Output);
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>kill -9 (SIGKILL), and wait until it is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await Process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Process.Dispose();
    }
}

public static class Waiting
{
    /// <summary>
    /// Polls <paramref name="read"/> until <paramref name="done"/> holds: waits for an event another process causes.
    /// The guard only keeps a broken run from hanging; it is no speed check.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, Func<string>? context = null)
    {
        var guard = Stopwatch.StartNew();
        T last;
        while (!done(last = await read()))
        {
            if (guard.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"{what} did not happen (a guard against hanging); last seen: {last}\n{context?.Invoke()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return last;
    }
}
