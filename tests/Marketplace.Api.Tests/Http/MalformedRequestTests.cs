using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;

namespace IoNet.MarketplaceApi.Tests.Http;

/// <summary>
/// Over a thousand generated bad requests (bad JSON, wrong types, huge bodies, negative and overflowing numbers, unknown
/// enum values, missing and unknown fields, bad ids, wrong media types and methods): every answer is a 4xx with a
/// ProblemDetails body, never a 500. The statuses are counted and printed.
/// </summary>
public sealed class MalformedRequestTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private sealed record BadRequest(string Kind, HttpMethod Method, string Path, string? Token, byte[]? Body, string? ContentType = "application/json", bool Chunked = false);

    private static JsonObject DeviceBody() => new()
    {
        ["gpuModel"] = "H100", ["gpuCount"] = 8, ["cpuClass"] = "EPYC-9654", ["ramGiB"] = 1024, ["country"] = "DE",
        ["city"] = "Berlin", ["connectivity"] = "Ultra", ["security"] = "Soc2",
    };

    private static readonly string[] WrongTypes = ["true", "[]", "{}", "[1,2]", "{\"a\":1}"];
    private static readonly string[] BadNumbers =
    [
        "-1", "-2147483649", "2147483648", "1e309", "1.5", "99999999999999999999999", "\"8\"", "null", "-0.0001", "1e3", "0x10",
        "18446744073709551616", "-9223372036854775809", "NaN", "Infinity", "\"\"",
    ];
    private static readonly string[] BadEnums = ["\"Mega\"", "\"\"", "0", "1", "null", "\"1\"", "\" Ultra\"", "\"Ultra,High\"", "\"Ultra, High\"", "\"Idle\"", "-1", "\"Soc3\""];
    private static readonly string[] BadStrings = ["12", "true", "[]", "{}", "null", "\"\"", "\"" + new string('x', 300) + "\"", "\"a\\u0000b\"", "\"\\n\""];

    private static IReadOnlyDictionary<string, string[]> DeviceFieldValues() => new Dictionary<string, string[]>
    {
        ["gpuModel"] = [.. WrongTypes, "12", "\"\"", "\"H9000\"", "\"" + new string('H', 41) + "\""],
        ["gpuCount"] = [.. WrongTypes, .. BadNumbers.Where(n => n != "null"), "0", "17", "null"],
        ["cpuClass"] = [.. WrongTypes, .. BadStrings, "\"PENTIUM\""],
        ["ramGiB"] = [.. WrongTypes, .. BadNumbers, "0", "65537"],
        ["country"] = [.. WrongTypes, .. BadStrings, "\"de\"", "\"DEU\"", "\"D\"", "\"ÄÖ\"", "\"D1\""],
        ["city"] = [.. WrongTypes, "12", "null", "\"\"", "\"" + new string('c', 101) + "\"", "\"a\\u0001b\"", "\"\\t\""],
        ["connectivity"] = [.. WrongTypes, .. BadEnums],
        ["security"] = [.. WrongTypes, .. BadEnums],
    };

    private static readonly string[] BadSyntax =
    [
        "", "{", "}", "[", "{\"gpuModel\":", "{\"gpuModel\":\"H100\",}", "{'gpuModel':'H100'}", "{gpuModel:\"H100\"}", "nul", "tru",
        "{\"a\":1} {\"b\":2}", "{/* comment */}", "\"just a string\"", "42", "[]", "{\"gpuCount\":01}", "{\"gpuCount\":+1}",
        "{\"city\":\"unterminated}", "{\"city\":\"\\x41\"}", "{\"gpuCount\":1,\"gpuCount\":2", new string('[', 1000) + new string(']', 1000),
        string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200), "\u00ef\u00bb\u00bf{", "{\"city\":\"\ud800\"}",
    ];

    private static readonly string[] BadIds =
    [
        "xyz", "1", "-1", "0x10", "%20", "00000000-0000-0000-0000-00000000000g", "00000000-0000-0000-0000", new string('a', 500),
        "%E2%82%AC", "null", "undefined", "' OR 1=1 --", "..%2F..%2Fetc%2Fpasswd", "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
        Guid.NewGuid().ToString(), Guid.NewGuid().ToString("N"), "{" + Guid.NewGuid() + "}",
    ];

    private IEnumerable<BadRequest> Generate(string token, string operatorToken, Random random)
    {
        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        string With(JsonObject body, string field, string rawValue)
        {
            var copy = (JsonObject)body.DeepClone();
            copy.Remove(field);
            var text = copy.ToJsonString();
            return text.Length == 2 ? $"{{\"{field}\":{rawValue}}}" : $"{{\"{field}\":{rawValue},{text[1..]}";
        }

        // Every field of a device registration with every wrong value, and each field missing.
        foreach (var (field, values) in DeviceFieldValues())
        {
            foreach (var value in values)
                yield return new("device field " + field, HttpMethod.Post, "/api/devices", token, Utf8(With(DeviceBody(), field, value)));
            if (field != "gpuModel")
            {
                var missing = DeviceBody();
                missing.Remove(field);
                yield return new("device field missing", HttpMethod.Post, "/api/devices", token, Utf8(missing.ToJsonString()));
            }
        }
        // Random combinations of two or three wrong fields at once.
        var fields = DeviceFieldValues().ToArray();
        for (var i = 0; i < 500; i++)
        {
            // Raw JSON per field, so that values which are not JSON at all (NaN, 0x10) can be put in too.
            var raw = DeviceBody().ToDictionary(p => p.Key, p => p.Value!.ToJsonString());
            foreach (var (field, values) in fields.OrderBy(_ => random.Next()).Take(2 + random.Next(2)))
                raw[field] = values[random.Next(values.Length)];
            var body = "{" + string.Join(",", raw.Select(p => $"\"{p.Key}\":{p.Value}")) + "}";
            yield return new("device fields combined", HttpMethod.Post, "/api/devices", token, Utf8(body));
        }
        var unknown = DeviceBody();
        unknown["price"] = 5;
        yield return new("unknown field", HttpMethod.Post, "/api/devices", token, Utf8(unknown.ToJsonString()));

        // The JSON endpoints: broken syntax, random bytes, wrong media types, bodies over the limit.
        var jsonEndpoints = new (string Path, string? Token)[]
        {
            ("/api/auth/nonce", null), ("/api/auth/verify", null), ("/api/devices", token),
            ($"/api/operator/devices/{Guid.NewGuid()}/status", operatorToken),
        };
        foreach (var (path, who) in jsonEndpoints)
        {
            foreach (var syntax in BadSyntax)
                yield return new("bad JSON", HttpMethod.Post, path, who, Utf8(syntax));
            yield return new("invalid UTF-8", HttpMethod.Post, path, who, [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
            for (var i = 0; i < 25; i++)
                yield return new("random bytes", HttpMethod.Post, path, who, RandomBytes(random, 1 + random.Next(200)));
            foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
                yield return new("media type", HttpMethod.Post, path, who, Utf8("{}"), type);
            yield return new("no media type", HttpMethod.Post, path, who, Utf8("{}"), null);
            foreach (var size in new[] { 64 * 1024 + 1, 200_000, 2_000_000 })
            {
                var huge = Utf8("{\"city\":\"" + new string('x', size) + "\"}");
                yield return new("huge body", HttpMethod.Post, path, who, huge);
                yield return new("huge chunked body", HttpMethod.Post, path, who, huge, Chunked: true);
            }
        }

        // Sign-in inputs.
        foreach (var value in BadStrings.Concat(["\"abc\"", "\"0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl\"", "\"" + Base58Of(33) + "\"", "\"" + Base58Of(31) + "\""]))
            yield return new("nonce address", HttpMethod.Post, "/api/auth/nonce", null, Utf8($"{{\"address\":{value}}}"));
        var signature = "\"" + new Signature(new byte[64]) + "\"";
        foreach (var value in BadStrings.Concat(["\"x wants you to sign in with your Solana account:\\nA\\n\\nURI: \"", "\"" + new string('m', 5000) + "\""]))
            yield return new("verify message", HttpMethod.Post, "/api/auth/verify", null, Utf8($"{{\"message\":{value},\"signature\":{signature}}}"));
        foreach (var value in BadStrings.Concat(["\"abc\"", "\"" + Convert.ToBase64String(new byte[63]) + "\"", "\"" + Convert.ToBase64String(new byte[65]) + "\"", "\"====\""]))
            yield return new("verify signature", HttpMethod.Post, "/api/auth/verify", null, Utf8($"{{\"message\":\"d wants you to sign in with your Solana account:\\nA\",\"signature\":{value}}}"));

        // Operator status inputs.
        foreach (var value in BadEnums.Concat(WrongTypes).Concat(["\"Hired\"", "\"Paused\""]))
            yield return new("operator status", HttpMethod.Post, $"/api/operator/devices/{Guid.NewGuid()}/status", operatorToken, Utf8($"{{\"status\":{value},\"reason\":\"r\"}}"));
        foreach (var value in BadStrings)
            yield return new("operator reason", HttpMethod.Post, $"/api/operator/devices/{Guid.NewGuid()}/status", operatorToken, Utf8($"{{\"status\":\"Down\",\"reason\":{value}}}"));

        // Bad ids in every route that takes one.
        foreach (var id in BadIds)
        {
            yield return new("bad id", HttpMethod.Get, $"/api/devices/{id}", null, null, null);
            yield return new("bad id", HttpMethod.Post, $"/api/devices/{id}/pause", token, null, null);
            yield return new("bad id", HttpMethod.Post, $"/api/devices/{id}/resume", token, null, null);
            yield return new("bad id", HttpMethod.Post, $"/api/operator/devices/{id}/eligible", operatorToken, null, null);
        }

        // Paging out of range or not numbers.
        foreach (var query in new[] { "limit=abc", "limit=-1", "limit=0", "limit=201", "limit=99999999999", "offset=-5", "offset=1e3", "offset=1.5", "limit=%00" })
            yield return new("bad paging", HttpMethod.Get, "/api/devices/mine?" + query, token, null, null);

        // Wrong methods, unknown paths, writes without or with a broken token.
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            foreach (var path in new[] { "/api/auth/nonce", "/api/auth/verify", "/api/devices", "/api/hardware", $"/api/devices/{Guid.NewGuid()}/pause" })
                yield return new("method", method, path, token, Utf8("{}"));
        }
        foreach (var path in new[] { "/api", "/api/device", "/api/devices/x/y/z", "/api/auth", "/nothing" })
            yield return new("unknown path", HttpMethod.Get, path, null, null, null);
        foreach (var broken in new[] { "garbage", "a.b.c", token + "x", token[..^5] })
            yield return new("broken token", HttpMethod.Post, "/api/devices", broken, Utf8(DeviceBody().ToJsonString()));
        yield return new("no token", HttpMethod.Post, "/api/devices", null, Utf8(DeviceBody().ToJsonString()));
        yield return new("not an operator", HttpMethod.Post, $"/api/operator/devices/{Guid.NewGuid()}/eligible", token, null, null);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Base58Of(int length) => IoNet.Solana.Wire.Base58.Encode(Enumerable.Repeat((byte)7, length).ToArray());

    [Fact]
    public async Task over_a_thousand_generated_bad_requests_all_get_4xx_problem_details()
    {
        using var wallet = Keypair.Generate();
        var token = await app.SignInAsync(wallet);
        var operatorToken = await app.SignInAsync(app.Operator);
        var requests = Generate(token, operatorToken, new Random(424242)).ToList();
        using var http = app.Client();

        var counts = new SortedDictionary<int, int>();
        var wrong = new List<string>();
        foreach (var bad in requests)
        {
            using var request = new HttpRequestMessage(bad.Method, bad.Path);
            if (bad.Token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bad.Token);
            if (bad.Body is not null)
            {
                HttpContent content = bad.Chunked ? new StreamContent(new MemoryStream(bad.Body)) : new ByteArrayContent(bad.Body);
                if (bad.ContentType is not null)
                    content.Headers.ContentType = MediaTypeHeaderValue.Parse(bad.ContentType);
                request.Content = content;
                if (bad.Chunked)
                    request.Headers.TransferEncodingChunked = true;
            }
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            counts[status] = counts.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            // A declared length over the cap is refused before reading; a chunked body is refused at the cap or,
            // when its first bytes are already wrong for the endpoint (an unknown member), with a 400 before that.
            if ((bad.Kind == "huge body" && status != 413) || (bad.Kind == "huge chunked body" && status is not (413 or 400)))
                wrong.Add($"{bad.Kind}: {bad.Method} {bad.Path} -> {status} {body[..Math.Min(body.Length, 300)]}");
            if (status is < 400 or > 499 || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !IsProblem(body, status))
                wrong.Add($"{bad.Kind}: {bad.Method} {bad.Path} {Preview(bad.Body)} -> {status} {body[..Math.Min(body.Length, 300)]}");
        }

        TestContext.Current.SendDiagnosticMessage($"{requests.Count} bad requests: " + string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
        Console.WriteLine($"{requests.Count} bad requests: " + string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
        wrong.ShouldBeEmpty(string.Join("\n", wrong.Take(30)));
        requests.Count.ShouldBeGreaterThanOrEqualTo(1000);
    }

    private static bool IsProblem(string body, int status)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("status", out var s) && s.GetInt32() == status && json.RootElement.TryGetProperty("title", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Preview(byte[]? body) =>
        body is null ? "" : body.Length > 120 ? $"({body.Length} bytes)" : Encoding.UTF8.GetString(body);
}
