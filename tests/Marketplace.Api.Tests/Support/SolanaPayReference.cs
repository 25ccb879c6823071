using System.Diagnostics;
using System.Text.Json.Nodes;
using IoNet.TestSupport;

namespace IoNet.MarketplaceApi.Tests.Support;

/// <summary>
/// The independent implementation of Solana Pay: npm @solana/pay 1.0.16 (parseURL, encodeURL, fetchTransaction), run by
/// node from Payments/solana-pay/pay.mjs. Its packages are installed there on first use (npm install with the
/// committed lock file).
/// </summary>
public static class SolanaPayReference
{
    private static readonly string Folder = RepoPaths.RepoFile("tests", "Marketplace.Api.Tests", "Payments", "solana-pay");
    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <summary>Runs the requests (objects with an "op") in one node process; one answer per request, in order.</summary>
    public static async Task<JsonArray> RunAsync(params JsonObject[] requests)
    {
        await EnsureInstalledAsync();
        var (code, output, errors) = await ExecAsync("node", ["pay.mjs"], new JsonArray(requests).ToJsonString());
        if (code != 0)
            throw new InvalidOperationException($"node pay.mjs failed ({code}): {errors}");
        return JsonNode.Parse(output)!.AsArray();
    }

    /// <summary>One request; its answer must be ok.</summary>
    public static async Task<JsonNode> RunOkAsync(JsonObject request)
    {
        var answer = (await RunAsync(request))[0]!;
        if (answer["ok"]?.GetValue<bool>() != true)
            throw new InvalidOperationException($"@solana/pay refused {request.ToJsonString()}: {answer["error"]}");
        return answer;
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Folder, "node_modules", "@solana", "pay", "package.json")))
                return;
            var (code, _, errors) = await ExecAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], null);
            if (code != 0)
                throw new InvalidOperationException($"npm install in {Folder} failed ({code}): {errors}");
        }
        finally
        {
            Install.Release();
        }
    }

    private static async Task<(int Code, string Output, string Errors)> ExecAsync(string file, string[] args, string? input)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
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
