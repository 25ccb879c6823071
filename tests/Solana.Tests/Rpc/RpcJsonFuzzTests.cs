using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IoNet.Solana.Rpc;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>
/// 10k mutated RPC documents (fixed seed): each parses or throws the SDK's own exception, nothing else escapes, and
/// what parses keeps its values: written back with the SDK's serializer, every value the input gave is there, equal
/// (keys the model does not know are dropped; what the input leaves out comes back as the model's default), and the
/// written JSON reads back into an object that writes the same bytes again.
/// </summary>
public sealed class RpcJsonFuzzTests
{
    /// <summary>A fixture with the reader for its kind of result and the serializer that writes that model back.</summary>
    private sealed record Seed(string Name, byte[] Bytes, Func<byte[], object?> Parse, Func<object, byte[]> Write);

    private static readonly Seed[] Seeds = [.. Fixtures.All.Where(f => !f.StartsWith("getBlock", StringComparison.Ordinal)).Select(SeedOf)];
    private static readonly string[] Swaps = ["null", "0", "-1", "18446744073709551616", "\"x\"", "[]", "{}", "true", "1.5e400", "\"\"", "[1,\"base64\"]"];

    private static Seed SeedOf(string name)
    {
        var bytes = Fixtures.Bytes(name);
        if (name.StartsWith("getSignaturesForAddress", StringComparison.Ordinal))
            return new(name, bytes, b => RpcJson.ParseSignatures(b), o => JsonSerializer.SerializeToUtf8Bytes((IReadOnlyList<SignatureInfo>)o, SolanaRpcJsonContext.Default.IReadOnlyListSignatureInfo));
        if (name.Contains("meta-only", StringComparison.Ordinal))
            return new(name, bytes, b => RpcJson.ParseTransactionMeta(b), o => JsonSerializer.SerializeToUtf8Bytes((TransactionMeta)o, SolanaRpcJsonContext.Default.TransactionMeta));
        return new(name, bytes, b => RpcJson.ParseTransaction(b), o => JsonSerializer.SerializeToUtf8Bytes((TransactionResponse)o, SolanaRpcJsonContext.Default.TransactionResponse));
    }

    [Fact]
    public void every_fixture_written_back_is_the_same_json_value_apart_from_what_the_model_leaves_out()
    {
        foreach (var seed in Seeds)
        {
            var written = seed.Write(seed.Parse(seed.Bytes)!);
            var problems = new List<string>();
            SameValues(ResultOf(seed.Bytes), JsonNode.Parse(written), "$", problems);
            problems.ShouldBeEmpty(seed.Name);
        }
    }

    [Fact]
    public void ten_thousand_mutated_documents_parse_keeping_their_values_or_throw_only_the_sdk_exception()
    {
        var random = new Random(20250107);
        int parsed = 0, refused = 0;
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal); // each kind of difference once, with an example
        for (var i = 0; i < 10_000; i++)
        {
            var seed = Seeds[random.Next(Seeds.Length)];
            var doc = Mutate(seed.Bytes, random);
            object? value;
            try
            {
                value = seed.Parse(doc);
                Consume(value);
            }
            catch (SolanaException)
            {
                refused++;
                continue;
            }
            if (value is null)
                continue; // a null result: nothing to write back
            parsed++;
            var written = seed.Write(value);
            var problems = new List<string>();
            SameValues(ResultOf(doc), JsonNode.Parse(written), "$", problems);
            var again = seed.Write(seed.Parse(written)!);
            if (!again.AsSpan().SequenceEqual(written))
                problems.Add($"$ written {Encoding.UTF8.GetString(written)} reads back as {Encoding.UTF8.GetString(again)}");
            foreach (var problem in problems)
                found.TryAdd(Regex.Replace(problem[..problem.IndexOf(' ', StringComparison.Ordinal)], @"\[[0-9]+\]", "[]"), $"{seed.Name}, mutation {i}: {problem}");
        }
        found.ShouldBeEmpty(string.Join("\n", found.Values));
        parsed.ShouldBeGreaterThan(1_000, "the mutations should leave a fair share parseable");
        refused.ShouldBeGreaterThan(1_000);
    }

    [Fact]
    public void mutated_block_documents_parse_keeping_their_values_or_throw_only_the_sdk_exception()
    {
        var random = new Random(7);
        var block = Fixtures.Bytes("getBlock-base64.json");
        var parsed = 0;
        for (var i = 0; i < 200; i++)
        {
            var doc = Mutate(block, random);
            Block? value;
            try
            {
                value = RpcJson.ParseBlock(doc);
            }
            catch (SolanaException)
            {
                continue; // refused cleanly
            }
            if (value is null)
                continue;
            parsed++;
            var written = JsonSerializer.SerializeToUtf8Bytes(value, SolanaRpcJsonContext.Default.Block);
            var problems = new List<string>();
            SameValues(ResultOf(doc), JsonNode.Parse(written), "$", problems);
            problems.ShouldBeEmpty($"getBlock mutation {i}");
            JsonSerializer.SerializeToUtf8Bytes(RpcJson.ParseBlock(written)!, SolanaRpcJsonContext.Default.Block).ShouldBe(written);
        }
        parsed.ShouldBeGreaterThan(20);
    }

    /// <summary>What the SDK reads as the result: an envelope's "result" when the first key is an envelope key (as
    /// <see cref="RpcJson"/> decides), else the bare document. A key given twice counts once, the last time. Bytes
    /// that are not UTF-8 can only sit where the SDK skipped (it refuses them in what it reads): they become U+FFFD.</summary>
    private static JsonNode? ResultOf(byte[] doc)
    {
        var node = JsonNode.Parse(Encoding.UTF8.GetString(doc), documentOptions: new JsonDocumentOptions { MaxDepth = 256, AllowDuplicateProperties = true });
        return node is JsonObject o && o.FirstOrDefault().Key is "jsonrpc" or "result" or "error" or "id" ? o["result"] : node;
    }

    /// <summary>The bytes of a bare base58 string or a [data, "base58" | "base64"] pair; null for anything else.</summary>
    private static byte[]? EncodedBytes(JsonNode? node)
    {
        try
        {
            return node switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => SimpleBase.Base58.Bitcoin.Decode(v.GetValue<string>()),
                JsonArray { Count: 2 } a when a[0] is JsonValue data && a[1] is JsonValue encoding
                    && data.GetValueKind() == JsonValueKind.String && encoding.GetValueKind() == JsonValueKind.String =>
                    encoding.GetValue<string>() switch
                    {
                        "base58" => SimpleBase.Base58.Bitcoin.Decode(data.GetValue<string>()),
                        "base64" => Convert.FromBase64String(data.GetValue<string>()),
                        _ => null,
                    },
                _ => null,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsDefault(JsonNode? node) => node switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.All(p => IsDefault(p.Value)),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == 0,
            JsonValueKind.False => true,
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            _ => false,
        },
        _ => false,
    };

    /// <summary>The same number: the same decimal, or, for a value the SDK writes as a float (uiAmount), the same double.</summary>
    private static bool SameNumber(JsonNode input, JsonNode written)
    {
        var (a, b) = (input.ToJsonString(), written.ToJsonString());
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (decimal.TryParse(a, System.Globalization.NumberStyles.Float, invariant, out var x) && decimal.TryParse(b, System.Globalization.NumberStyles.Float, invariant, out var y) && x == y)
            return true;
        return b.IndexOfAny(['.', 'e', 'E']) >= 0 && double.Parse(a, invariant) == double.Parse(b, invariant);
    }

    /// <summary>
    /// Every value the SDK wrote equals the input's at the same place; an input key the model does not know is
    /// not written; a value the input leaves out (or gives as null) comes back as the model's default.
    /// </summary>
    private static void SameValues(JsonNode? input, JsonNode? written, string path, List<string> problems)
    {
        switch (written)
        {
            case null:
                if (input is not null)
                    problems.Add($"{path} was {input.ToJsonString()} and is written as null");
                return;
            case JsonObject writtenObject:
                if (input is not JsonObject inputObject)
                {
                    problems.Add($"{path} was {input?.ToJsonString() ?? "null"} and is written as {written.ToJsonString()}");
                    return;
                }
                foreach (var (key, value) in writtenObject)
                {
                    if (inputObject.TryGetPropertyValue(key, out var had) && had is not null)
                        SameValues(had, value, $"{path}.{key}", problems);
                    else if (!IsDefault(value))
                        problems.Add($"{path}.{key} was absent or null and is written as {value!.ToJsonString()}");
                }
                return;
            case JsonArray writtenArray when EncodedBytes(writtenArray) is { } bytes && EncodedBytes(input) is { } had:
                // Wire bytes are written as base64 whatever encoding they came in: the same bytes.
                if (!bytes.AsSpan().SequenceEqual(had))
                    problems.Add($"{path} was {input!.ToJsonString()} and is written as {written.ToJsonString()}");
                return;
            case JsonArray writtenArray:
                if (input is not JsonArray inputArray || inputArray.Count != writtenArray.Count)
                {
                    problems.Add($"{path} was {input?.ToJsonString() ?? "null"} and is written as {written.ToJsonString()}");
                    return;
                }
                for (var i = 0; i < writtenArray.Count; i++)
                    SameValues(inputArray[i], writtenArray[i], $"{path}[{i}]", problems);
                return;
            default:
                var same = input is JsonValue && input.GetValueKind() == JsonValueKind.Number && written.GetValueKind() == JsonValueKind.Number
                    ? SameNumber(input, written)
                    : JsonNode.DeepEquals(input, written);
                if (!same)
                    problems.Add($"{path} was {input?.ToJsonString() ?? "null"} and is written as {written.ToJsonString()}");
                return;
        }
    }

    // Walks the typed views that compute things lazily, so their failures show too.
    private static void Consume(object? result)
    {
        switch (result)
        {
            case TransactionResponse { Meta: { } meta } tx:
                Consume(meta);
                if (tx.Transaction?.Message is { } m)
                {
                    var keys = TransactionAccounts.Resolve(m, meta);
                    foreach (var ix in m.Instructions)
                        _ = ix.ProgramIdIndex is null || ix.ProgramIdIndex < keys.Count ? 0 : 1;
                }
                break;
            case TransactionMeta meta:
                foreach (var b in (meta.PreTokenBalances ?? []).OfType<TokenBalance>())
                {
                    try { _ = b.UiTokenAmount.BaseUnits; } catch (SolanaException) { }
                }
                break;
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var k = random.Next(1, 8); k > 0; k--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
            case 2:
                return SwapValue(bytes, random);
            default:
                var b = bytes[random.Next(bytes.Length)];
                bytes[random.Next(bytes.Length)] = b;
                return SwapValue(bytes, random);
        }
    }

    // Replaces the value after a random ':' with a value of another JSON type.
    private static byte[] SwapValue(byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var colon = text.IndexOf(':', random.Next(text.Length));
        if (colon < 0)
            return bytes;
        var end = colon + 1;
        var depth = 0;
        var inString = false;
        for (; end < text.Length; end++)
        {
            var c = text[end];
            if (inString) { if (c == '\\') end++; else if (c == '"') inString = false; continue; }
            if (c == '"') inString = true;
            else if (c is '[' or '{') depth++;
            else if (c is ']' or '}') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
        }
        return Encoding.UTF8.GetBytes(text[..(colon + 1)] + Swaps[random.Next(Swaps.Length)] + text[end..]);
    }
}

public sealed class RpcResponseShapeTests
{
    [Fact]
    public void an_unknown_account_is_a_null_value_and_an_unknown_transaction_a_null_result()
    {
        RpcRequests.GetAccountInfo("x").ParseResponse("""{"jsonrpc":"2.0","result":{"context":{"slot":1},"value":null},"id":1}"""u8).Value.ShouldBeNull();
        RpcRequests.GetTransaction("x").ParseResponse("""{"jsonrpc":"2.0","result":null,"id":1}"""u8).ShouldBeNull();
    }

    [Fact]
    public void an_explicit_null_where_the_model_needs_a_value_is_a_malformed_response()
    {
        var e = Should.Throw<RpcException>(() => RpcJson.ParseTransactionMeta("""{"fee":1,"preBalances":null,"postBalances":[]}"""u8));
        e.Kind.ShouldBe(RpcErrorKind.MalformedResponse);
    }
}
