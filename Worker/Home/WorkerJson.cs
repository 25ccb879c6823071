using System.Text.Json.Serialization;

namespace IoNet.Worker.Home;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WorkerState))]
internal sealed partial class WorkerJson : JsonSerializerContext;
