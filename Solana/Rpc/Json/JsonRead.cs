using System.Text.Json;

namespace IoNet.Solana.Rpc.Json;

/// <summary>Small strict reading helpers for the hand-written converters.</summary>
internal static class JsonRead
{
    public static string String(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Unexpected(ref reader, "a string");

    public static string? NullableString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : String(ref reader);

    public static bool? NullableBool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw Unexpected(ref reader, "a boolean"),
    };

    public static int Int32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : throw Unexpected(ref reader, "an integer");

    public static int? NullableInt32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Int32(ref reader);

    public static ulong? NullableUInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null
        : reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var v) ? v : throw Unexpected(ref reader, "an unsigned integer");

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
            throw Unexpected(ref reader, type.ToString());
    }

    /// <summary>Reads [data, encoding] (or a bare base58 string) into bytes.</summary>
    public static byte[] EncodedBytes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return Base58(reader.GetString()!);
        Expect(ref reader, JsonTokenType.StartArray);
        reader.Read();
        var data = String(ref reader);
        reader.Read();
        var encoding = String(ref reader);
        reader.Read();
        Expect(ref reader, JsonTokenType.EndArray);
        return encoding switch
        {
            "base64" => Base64(data),
            "base58" => Base58(data),
            _ => throw new JsonException($"Unsupported data encoding '{encoding}'."),
        };
    }

    public static byte[] Base64(string data)
    {
        try
        {
            return Convert.FromBase64String(data);
        }
        catch (FormatException e)
        {
            throw new JsonException("Invalid base64 data.", e);
        }
    }

    public static byte[] Base58(string data)
    {
        try
        {
            return SimpleBase.Base58.Bitcoin.Decode(data);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new JsonException("Invalid base58 data.", e);
        }
    }

    public static JsonException Unexpected(ref Utf8JsonReader reader, string expected) =>
        new($"Expected {expected} but found {reader.TokenType} at byte {reader.TokenStartIndex}.");
}
