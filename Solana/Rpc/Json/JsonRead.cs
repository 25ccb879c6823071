using System.Buffers;
using System.Text.Json;

namespace IoNet.Solana.Rpc.Json;

/// <summary>Small strict reading helpers for the hand-written converters.</summary>
internal static class JsonRead
{
    /// <summary>
    /// The current property name as raw UTF-8: the reader's own bytes when the name has no escapes (the common case),
    /// else unescaped into a new array (nodes never escape the names we know, so that path is rare).
    /// </summary>
    public static ReadOnlySpan<byte> Name(ref Utf8JsonReader reader) =>
        !reader.HasValueSequence && !reader.ValueIsEscaped ? reader.ValueSpan : System.Text.Encoding.UTF8.GetBytes(reader.GetString()!);

    public static ulong UInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var v) ? v : throw Unexpected(ref reader, "an unsigned integer");

    public static long Int64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var v) ? v : throw Unexpected(ref reader, "an integer");

    public static long? NullableInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Int64(ref reader);

    public static byte Byte(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out var v) ? v : throw Unexpected(ref reader, "an integer 0-255");

    public static byte? NullableByte(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Byte(ref reader);

    /// <summary>A JSON array of numbers into an exact-size array (no list, no over-allocation).</summary>
    public static T[] Numbers<T, TRead>(ref Utf8JsonReader reader)
        where T : unmanaged
        where TRead : IValueReader<T>
    {
        Expect(ref reader, JsonTokenType.StartArray);
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            return [];
        Span<T> stack = stackalloc T[64];
        T[]? rented = null;
        var buffer = stack;
        var count = 0;
        try
        {
            do
            {
                if (count == buffer.Length)
                {
                    var bigger = ArrayPool<T>.Shared.Rent(buffer.Length * 2);
                    buffer.CopyTo(bigger);
                    if (rented is not null)
                        ArrayPool<T>.Shared.Return(rented);
                    buffer = rented = bigger;
                }
                buffer[count++] = TRead.ReadValue(ref reader);
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);
            Expect(ref reader, JsonTokenType.EndArray);
            return buffer[..count].ToArray();
        }
        finally
        {
            if (rented is not null)
                ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>A JSON array into a list; null elements are refused (the model's lists hold no nulls).</summary>
    public static List<T> List<T, TRead>(ref Utf8JsonReader reader, int capacity)
        where TRead : IValueReader<T>
    {
        Expect(ref reader, JsonTokenType.StartArray);
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            return new List<T>(0);
        var list = new List<T>(capacity);
        do
        {
            list.Add(TRead.ReadValue(ref reader));
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);
        Expect(ref reader, JsonTokenType.EndArray);
        return list;
    }

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

    public static void WriteNumbers(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<ulong> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteNumberValue(v);
        writer.WriteEndArray();
    }

    public static void WriteStrings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }

    public static JsonException Unexpected(ref Utf8JsonReader reader, string expected) =>
        new($"Expected {expected} but found {reader.TokenType} at byte {reader.TokenStartIndex}.");
}

/// <summary>
/// Reads one value at the reader's current token (static dispatch, no delegate). Converters implement it so that
/// <see cref="RpcJson"/> calls them directly on its own reader: the serializer's Deserialize(ref reader) first skips
/// over the whole value to scope a second reader, which scans the bytes twice.
/// </summary>
internal interface IValueReader<out T>
{
    static abstract T ReadValue(ref Utf8JsonReader reader);
}

internal readonly struct UInt64Element : IValueReader<ulong>
{
    public static ulong ReadValue(ref Utf8JsonReader reader) => JsonRead.UInt64(ref reader);
}

internal readonly struct Int32Element : IValueReader<int>
{
    public static int ReadValue(ref Utf8JsonReader reader) => JsonRead.Int32(ref reader);
}

internal readonly struct ByteElement : IValueReader<byte>
{
    public static byte ReadValue(ref Utf8JsonReader reader) => JsonRead.Byte(ref reader);
}

internal readonly struct StringElement : IValueReader<string>
{
    public static string ReadValue(ref Utf8JsonReader reader) => JsonRead.String(ref reader);
}
