using System.Diagnostics;
using System.Text.Json.Nodes;

namespace IoNet.MarketplaceApi.Tests.Support;

/// <summary>
/// An independent implementation run by node: a script in <paramref name="folder"/> that reads a JSON array of requests
/// (objects with an "op") on standard input and writes one answer per request, in order. The folder's packages are
/// installed on first use (npm install with its committed lock file), once per process.
/// </summary>
public sealed class NodeReference(string folder, string script, string installedMarker)
{
    private readonly SemaphoreSlim _install = new(1, 1);

    /// <summary>Runs the requests in one node process; one answer per request, in order.</summary>
    public async Task<JsonArray> RunAsync(JsonObject[] requests)
    {
        await EnsureInstalledAsync();
        var (code, output, errors) = await ExecAsync("node", [script], new JsonArray(requests).ToJsonString());
        if (code != 0)
            throw new InvalidOperationException($"node {script} failed ({code}): {errors}");
        return JsonNode.Parse(output)!.AsArray();
    }

    private async Task EnsureInstalledAsync()
    {
        await _install.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(folder, "node_modules", installedMarker)))
                return;
            var (code, _, errors) = await ExecAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], null);
            if (code != 0)
                throw new InvalidOperationException($"npm install in {folder} failed ({code}): {errors}");
        }
        finally
        {
            _install.Release();
        }
    }

    private async Task<(int Code, string Output, string Errors)> ExecAsync(string file, string[] args, string? input)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
            await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
