using System.Text.Json.Nodes;

namespace IoNet.Programs.Tests.Anchor;

internal static class JsonAssert
{
    /// <summary>Same JSON value (numbers compared by value, object keys in any order), shown as JSON when not.</summary>
    public static void ShouldBeJson(this JsonNode? actual, JsonNode? expected, string? because = null)
    {
        var a = actual is null ? null : JsonNode.Parse(actual.ToJsonString());
        var e = expected is null ? null : JsonNode.Parse(expected.ToJsonString());
        if (!JsonNode.DeepEquals(a, e))
            throw new ShouldAssertException($"{because}\nexpected {e?.ToJsonString()}\nbut got  {a?.ToJsonString()}");
    }
}
