using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.TestSupport;

namespace IoNet.MarketplaceApi.Tests.Support;

/// <summary>
/// The independent implementation: @solana/wallet-standard-util 1.1.4 (the wallet-standard's createSignInMessageText,
/// parseSignInMessageText, verifySignIn) and @noble/curves' ed25519, run by node from SignIn/wallet-standard/siws.mjs.
/// Its packages are installed there on first use (npm install with the committed lock file).
/// </summary>
public static class WalletStandard
{
    private static readonly string Folder = RepoPaths.RepoFile("tests", "Marketplace.Api.Tests", "SignIn", "wallet-standard");
    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <summary>Runs the requests (objects with an "op") in one node process; one answer per request, in order.</summary>
    public static async Task<JsonArray> RunAsync(params JsonObject[] requests)
    {
        await EnsureInstalledAsync();
        var (code, output, errors) = await ExecAsync("node", ["siws.mjs"], new JsonArray(requests).ToJsonString());
        if (code != 0)
            throw new InvalidOperationException($"node siws.mjs failed ({code}): {errors}");
        return JsonNode.Parse(output)!.AsArray();
    }

    public static async Task<JsonNode> RunOneAsync(JsonObject request) => (await RunAsync(request))[0]!;

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Folder, "node_modules", "@solana", "wallet-standard-util", "package.json")))
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
