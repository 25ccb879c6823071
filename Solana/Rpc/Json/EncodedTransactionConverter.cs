using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc.Json;

/// <summary>A transaction is an object (json / jsonParsed), an array [data, encoding] or a bare base58 string.</summary>
internal sealed class EncodedTransactionConverter : JsonConverter<EncodedTransaction>, IValueReader<EncodedTransaction>
{
    public override EncodedTransaction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static EncodedTransaction ReadValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new EncodedTransaction { Encoding = TransactionEncoding.Base58, WireBytes = JsonRead.Base58(reader.GetString()!) };
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var isBase58 = false;
            var copy = reader;
            if (copy.Read() && copy.Read() && copy.TokenType == JsonTokenType.String)
                isBase58 = copy.ValueTextEquals("base58"u8);
            return new EncodedTransaction
            {
                Encoding = isBase58 ? TransactionEncoding.Base58 : TransactionEncoding.Base64,
                WireBytes = JsonRead.EncodedBytes(ref reader),
            };
        }
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        List<string>? signatures = null;
        UiMessage? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("signatures"u8))
            {
                signatures = JsonRead.List<string, StringElement>(ref reader, 1);
            }
            else if (name.SequenceEqual("message"u8))
            {
                message = reader.TokenType == JsonTokenType.Null ? null : UiMessageConverter.ReadValue(ref reader);
            }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        var parsed = message is { AccountKeys.Count: > 0 } && message.AccountKeys[0].Signer is not null;
        return new EncodedTransaction
        {
            Encoding = parsed ? TransactionEncoding.JsonParsed : TransactionEncoding.Json,
            Signatures = signatures ?? [],
            Message = message,
        };
    }

    public override void Write(Utf8JsonWriter writer, EncodedTransaction value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, EncodedTransaction value)
    {
        if (value.WireBytes is { } bytes)
        {
            Base64PairConverter.WriteValue(writer, bytes);
            return;
        }
        writer.WriteStartObject();
        writer.WriteStartArray("signatures");
        foreach (var s in value.Signatures ?? []) writer.WriteStringValue(s);
        writer.WriteEndArray();
        if (value.Message is { } m)
        {
            writer.WritePropertyName("message");
            UiMessageConverter.WriteValue(writer, m);
        }
        writer.WriteEndObject();
    }
}
