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
    private static readonly NodeReference Node = new(
        RepoPaths.RepoFile("tests", "Marketplace.Api.Tests", "SignIn", "wallet-standard"),
        "siws.mjs", Path.Combine("@solana", "wallet-standard-util", "package.json"));

    /// <summary>Runs the requests (objects with an "op") in one node process; one answer per request, in order.</summary>
    public static Task<JsonArray> RunAsync(params JsonObject[] requests) => Node.RunAsync(requests);

    public static async Task<JsonNode> RunOneAsync(JsonObject request) => (await RunAsync(request))[0]!;
}
