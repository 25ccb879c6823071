using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Marketplace.Http;

/// <summary>
/// Enums as their names only: JsonStringEnumConverter would also take " Ultra" (trimmed) and "Ultra, High" (as flags,
/// giving High) for any enum. Here a value is one declared name (any letter case) or a 400.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly FrozenDictionary<string, T> Names =
            Enum.GetValues<T>().ToFrozenDictionary(v => v.ToString(), v => v, StringComparer.OrdinalIgnoreCase);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && Names.TryGetValue(name, out var value))
                return value;
            throw new JsonException($"Expected one of {string.Join(", ", Names.Values.Select(v => v.ToString()))}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
