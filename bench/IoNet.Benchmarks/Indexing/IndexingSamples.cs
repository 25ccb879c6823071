using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Solana.Rpc;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.TestSupport;

namespace IoNet.Benchmarks.Indexing;

/// <summary>
/// The recorded sample (Samples/record-indexing-samples.cs): getTransaction JSON of io.net flows executed on a real
/// localnet, and the addresses the mapper needs.
/// </summary>
public static class IndexingSamples
{
    public static string Directory { get; } = RepoPaths.RepoFile("bench", "IoNet.Benchmarks", "Samples");

    /// <summary>The recorded responses (UTF-8 JSON, the bare result), in the order they were executed.</summary>
    public static IReadOnlyList<string> Responses()
    {
        using var file = File.OpenRead(Path.Combine(Directory, "indexing-transactions.jsonl.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { Length: > 0 } line)
            lines.Add(line);
        return lines;
    }

    public static IoNetAddresses Network()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "indexing-network.json")));
        var root = doc.RootElement;
        MintInfo Mint(string name) => new(
            PublicKey.Parse(root.GetProperty(name).GetProperty("address").GetString()!),
            root.GetProperty(name).GetProperty("decimals").GetByte(),
            PublicKey.Parse(root.GetProperty(name).GetProperty("tokenProgram").GetString()!));
        PublicKey Key(string name) => PublicKey.Parse(root.GetProperty(name).GetString()!);
        return new IoNetAddresses(Mint("io"), Mint("iosd"), Mint("usdc"),
            Key("iosdMintAuthority"), Key("escrowAuthority"), Key("treasuryAuthority"), Key("stakeAuthority"));
    }

    /// <summary>
    /// <paramref name="count"/> responses cycling through the sample; every pass after the first gives each transaction
    /// another valid signature (the last four bytes xor the pass number, written everywhere the response names it), so
    /// each one is a distinct stream. Accounts, instructions, amounts and logs stay those the node returned.
    /// </summary>
    public static byte[][] Distinct(IReadOnlyList<string> responses, int count)
    {
        var result = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var json = responses[i % responses.Count];
            var pass = i / responses.Count;
            if (pass > 0)
            {
                var original = FirstSignature(json);
                var bytes = Signature.Parse(original).ToArray();
                for (var k = 0; k < 4; k++)
                    bytes[60 + k] ^= (byte)(pass >> (8 * k));
                json = json.Replace(original, new Signature(bytes).ToString(), StringComparison.Ordinal);
            }
            result[i] = Encoding.UTF8.GetBytes(json);
        }
        return result;
    }

    /// <summary>The same response with result.transaction as ["&lt;base64 wire bytes&gt;", "base64"].</summary>
    public static byte[] ToBase64Response(byte[] json)
    {
        var response = RpcJson.ParseTransaction(json)!;
        var wire = response.Transaction!.ToTransaction(response.Version).Serialize();
        var node = JsonNode.Parse(json)!.AsObject();
        node["transaction"] = new JsonArray(Convert.ToBase64String(wire), "base64");
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static string FirstSignature(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("transaction").GetProperty("signatures")[0].GetString()!;
    }
}
