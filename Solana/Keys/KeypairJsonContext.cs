using System.Text.Json.Serialization;

namespace IoNet.Solana.Keys;

[JsonSerializable(typeof(int[]))]
internal sealed partial class KeypairJsonContext : JsonSerializerContext;
