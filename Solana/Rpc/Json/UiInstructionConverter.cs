using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc.Json;

/// <summary>Hand-written: instructions are the hottest and most polymorphic part of a transaction.</summary>
internal sealed class UiInstructionConverter : JsonConverter<UiInstruction>, IValueReader<UiInstruction>
{
    public override UiInstruction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static UiInstruction ReadValue(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        int? programIdIndex = null, stackHeight = null;
        int[]? accounts = null;
        List<string>? addresses = null;
        string? data = null, programId = null, program = null, parsedType = null;
        JsonElement? parsed = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("programIdIndex"u8)) { programIdIndex = JsonRead.Int32(ref reader); }
            else if (name.SequenceEqual("accounts"u8)) { ReadAccounts(ref reader, ref accounts, ref addresses); }
            else if (name.SequenceEqual("data"u8)) { data = JsonRead.String(ref reader); }
            else if (name.SequenceEqual("stackHeight"u8)) { stackHeight = JsonRead.NullableInt32(ref reader); }
            else if (name.SequenceEqual("programId"u8)) { programId = JsonRead.String(ref reader); }
            else if (name.SequenceEqual("program"u8)) { program = JsonRead.String(ref reader); }
            else if (name.SequenceEqual("parsed"u8))
            {
                var element = JsonElement.ParseValue(ref reader);
                parsed = element;
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String)
                    parsedType = type.GetString();
            }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return new UiInstruction
        {
            ProgramIdIndex = programIdIndex,
            Accounts = accounts,
            AccountAddresses = addresses,
            Data = data,
            ProgramId = programId,
            Program = program,
            Parsed = parsed,
            ParsedType = parsedType,
            StackHeight = stackHeight,
        };
    }

    // All numbers (compiled form) or all strings (partially decoded form); an empty list is compiled form with no
    // accounts. A repeated "accounts" property replaces the earlier one.
    private static void ReadAccounts(ref Utf8JsonReader reader, ref int[]? indexes, ref List<string>? addresses)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartArray);
        var first = reader;
        first.Read();
        if (first.TokenType == JsonTokenType.String)
        {
            addresses = JsonRead.List<string, StringElement>(ref reader, 8);
            indexes = null;
        }
        else if (first.TokenType is JsonTokenType.Number or JsonTokenType.EndArray)
        {
            indexes = JsonRead.Numbers<int, Int32Element>(ref reader);
            addresses = null;
        }
        else
        {
            throw JsonRead.Unexpected(ref first, "account indexes or addresses");
        }
    }

    public override void Write(Utf8JsonWriter writer, UiInstruction value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, UiInstruction value)
    {
        writer.WriteStartObject();
        if (value.Accounts is { } accounts)
        {
            writer.WriteStartArray("accounts");
            foreach (var a in accounts) writer.WriteNumberValue(a);
            writer.WriteEndArray();
        }
        if (value.AccountAddresses is { } addresses)
        {
            writer.WriteStartArray("accounts");
            foreach (var a in addresses) writer.WriteStringValue(a);
            writer.WriteEndArray();
        }
        if (value.Data is not null) writer.WriteString("data", value.Data);
        if (value.Parsed is { } parsed) { writer.WritePropertyName("parsed"); parsed.WriteTo(writer); }
        if (value.Program is not null) writer.WriteString("program", value.Program);
        if (value.ProgramId is not null) writer.WriteString("programId", value.ProgramId);
        if (value.ProgramIdIndex is { } index) writer.WriteNumber("programIdIndex", index);
        if (value.StackHeight is { } height) writer.WriteNumber("stackHeight", height);
        writer.WriteEndObject();
    }
}
