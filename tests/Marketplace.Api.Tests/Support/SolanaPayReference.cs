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
    private static readonly NodeReference Node = new(
        RepoPaths.RepoFile("tests", "Marketplace.Api.Tests", "Payments", "solana-pay"),
        "pay.mjs", Path.Combine("@solana", "pay", "package.json"));

    /// <summary>Runs the requests (objects with an "op") in one node process; one answer per request, in order.</summary>
    public static Task<JsonArray> RunAsync(params JsonObject[] requests) => Node.RunAsync(requests);

    /// <summary>One request; its answer must be ok.</summary>
    public static async Task<JsonNode> RunOkAsync(JsonObject request)
    {
        var answer = (await RunAsync(request))[0]!;
        if (answer["ok"]?.GetValue<bool>() != true)
            throw new InvalidOperationException($"@solana/pay refused {request.ToJsonString()}: {answer["error"]}");
        return answer;
    }
}
