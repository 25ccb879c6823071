using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc.Json;

internal sealed class AccountKeyConverter : JsonConverter<AccountKey>, IValueReader<AccountKey>
{
    public override AccountKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static AccountKey ReadValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new AccountKey(reader.GetString()!);
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        string? pubkey = null, source = null;
        bool? signer = null, writable = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("pubkey"u8)) { pubkey = JsonRead.String(ref reader); }
            else if (name.SequenceEqual("signer"u8)) { signer = JsonRead.NullableBool(ref reader); }
            else if (name.SequenceEqual("writable"u8)) { writable = JsonRead.NullableBool(ref reader); }
            else if (name.SequenceEqual("source"u8)) { source = JsonRead.NullableString(ref reader); }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new AccountKey(pubkey ?? throw new JsonException("Account key object without pubkey."))
        {
            Signer = signer,
            Writable = writable,
            Source = source,
        };
    }

    public override void Write(Utf8JsonWriter writer, AccountKey value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, AccountKey value)
    {
        if (value.Signer is null && value.Writable is null && value.Source is null)
        {
            writer.WriteStringValue(value.Pubkey);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("pubkey", value.Pubkey);
        if (value.Signer is { } s) writer.WriteBoolean("signer", s);
        if (value.Source is { } src) writer.WriteString("source", src);
        if (value.Writable is { } w) writer.WriteBoolean("writable", w);
        writer.WriteEndObject();
    }
}

internal sealed class TransactionVersionConverter : JsonConverter<TransactionVersion>
{
    public override TransactionVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static TransactionVersion ReadValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("legacy"u8))
            return TransactionVersion.Legacy;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n is >= 0 and < 128)
            return new TransactionVersion(n);
        throw JsonRead.Unexpected(ref reader, "\"legacy\" or a version number");
    }

    public override void Write(Utf8JsonWriter writer, TransactionVersion value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, TransactionVersion value)
    {
        if (value.Number is { } n) writer.WriteNumberValue(n);
        else writer.WriteStringValue("legacy");
    }
}

internal sealed class TransactionErrorConverter : JsonConverter<TransactionError>
{
    public override TransactionError Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static TransactionError ReadValue(ref Utf8JsonReader reader)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return TransactionError.FromJson(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, TransactionError value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json);
}

internal sealed class TransactionStatusConverter : JsonConverter<TransactionStatus>
{
    private static readonly TransactionStatus Ok = new((TransactionError?)null);

    public override TransactionStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static TransactionStatus ReadValue(ref Utf8JsonReader reader)
    {
        // Fast path for the common {"Ok": null} without building a document.
        var peek = reader;
        if (peek.TokenType == JsonTokenType.StartObject && peek.Read() && peek.TokenType == JsonTokenType.PropertyName && peek.ValueTextEquals("Ok"u8)
            && peek.Read() && peek.TokenType == JsonTokenType.Null && peek.Read() && peek.TokenType == JsonTokenType.EndObject)
        {
            reader = peek;
            return Ok;
        }
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("Err"u8, out var err) && err.ValueKind != JsonValueKind.Null)
                return new TransactionStatus(TransactionError.FromJson(err));
            if (root.TryGetProperty("Ok"u8, out var ok) && ok.ValueKind == JsonValueKind.Null)
                return new TransactionStatus((TransactionError?)null);
        }
        throw new JsonException("A status must be {\"Ok\": null} or {\"Err\": ...}.");
    }

    public override void Write(Utf8JsonWriter writer, TransactionStatus value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, TransactionStatus value)
    {
        writer.WriteStartObject();
        if (value.Err is { } err)
        {
            writer.WritePropertyName("Err");
            writer.WriteRawValue(err.Json);
        }
        else
        {
            writer.WriteNull("Ok");
        }
        writer.WriteEndObject();
    }
}

/// <summary>[base64, "base64"] pairs (return data, account data).</summary>
internal sealed class Base64PairConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonRead.EncodedBytes(ref reader);

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, byte[] value)
    {
        writer.WriteStartArray();
        writer.WriteBase64StringValue(value);
        writer.WriteStringValue("base64");
        writer.WriteEndArray();
    }
}

internal sealed class AccountDataConverter : JsonConverter<AccountData>
{
    public override AccountData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            return new AccountData { Bytes = JsonRead.EncodedBytes(ref reader) };
        string? program = null;
        JsonElement? parsed = null;
        ulong? space = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("program"u8)) { program = JsonRead.NullableString(ref reader); }
            else if (name.SequenceEqual("parsed"u8)) { parsed = JsonElement.ParseValue(ref reader); }
            else if (name.SequenceEqual("space"u8)) { space = JsonRead.NullableUInt64(ref reader); }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new AccountData { Program = program, Parsed = parsed, Space = space };
    }

    public override void Write(Utf8JsonWriter writer, AccountData value, JsonSerializerOptions options)
    {
        if (value.Bytes is { } bytes)
        {
            Base64PairConverter.WriteValue(writer, bytes);
            return;
        }
        writer.WriteStartObject();
        if (value.Program is not null) writer.WriteString("program", value.Program);
        if (value.Parsed is { } p) { writer.WritePropertyName("parsed"); p.WriteTo(writer); }
        if (value.Space is { } s) writer.WriteNumber("space", s);
        writer.WriteEndObject();
    }
}
