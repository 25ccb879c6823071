using System.Text.Json.Nodes;

namespace IoNet.Programs.Anchor;

/// <summary>A decoded instruction, account or event: its IDL name and its value (see <see cref="AnchorCoder"/> for the JSON conventions).</summary>
public sealed record AnchorDecoded(string Name, JsonNode Data);
