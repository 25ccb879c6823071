using System.Text.Json;

namespace IoNet.Explorer.Components.Map;

/// <summary>One country's outline: its ISO 3166-1 alpha-2 code (null for the few places without one), name and SVG path.</summary>
public sealed record CountryShape(string? Code, string Name, string D);

/// <summary>
/// The world map's country outlines, generated at build time from npm's world-atlas (ui/worldmap.mjs) and embedded in
/// the assembly. A build without Node has none; the map then says so instead of drawing.
/// </summary>
public sealed class WorldShapes
{
    public const string Resource = "world-map.json";

    private WorldShapes(double width, double height, IReadOnlyList<CountryShape> countries)
    {
        Width = width;
        Height = height;
        Countries = countries;
    }

    public double Width { get; }

    public double Height { get; }

    public IReadOnlyList<CountryShape> Countries { get; }

    public static WorldShapes Load()
    {
        using var stream = typeof(WorldShapes).Assembly.GetManifestResourceStream(Resource);
        if (stream is null)
            return new WorldShapes(960, 440, []);
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var countries = root.GetProperty("countries").EnumerateArray()
            .Select(c => new CountryShape(c.GetProperty("code").GetString(), c.GetProperty("name").GetString() ?? "", c.GetProperty("d").GetString() ?? ""))
            .ToList();
        return new WorldShapes(root.GetProperty("width").GetDouble(), root.GetProperty("height").GetDouble(), countries);
    }
}
