using System.Text.RegularExpressions;

namespace IoNet.EndToEnd.Tests.Repository;

/// <summary>A repository path some source reads, and whether the path is whole or only the folder its file is in.</summary>
/// <param name="Path">Relative to the repository root, '/'-separated.</param>
/// <param name="Source">The file and line that names it.</param>
/// <param name="FolderOnly">The source names the rest at run time (e.g. FixtureFile("rpc", name)): Path is that folder.</param>
public sealed record DataReference(string Path, string Source, bool FolderOnly);

/// <summary>
/// Finds the data paths that tests, benchmarks and localnet scripts read, from their sources: C#
/// <c>RepoPaths.FixtureFile(...)</c> / <c>RepoPaths.RepoFile(...)</c> calls (their leading string literals), and in
/// localnet's JavaScript every relative path literal ('./x', '../../tests/...') and every <c>fixture('name')</c> of
/// the node test helpers.
/// </summary>
public static partial class DataReferences
{
    /// <summary>Path segments of build outputs: made by the build, never committed.</summary>
    private static readonly HashSet<string> BuildOutputs = new(StringComparer.Ordinal) { "bin", "obj", "node_modules" };

    /// <summary>Where localnet/test/helpers.mjs's fixture(name) reads (its fixturesDir).</summary>
    public const string NodeFixturesFolder = "tests/Fixtures/rpc";

    /// <summary>
    /// The references in <paramref name="files"/> (repository-relative paths under <paramref name="root"/>): C# files
    /// under tests/ and bench/, JavaScript under localnet/. References to build outputs are left out.
    /// </summary>
    public static List<DataReference> Find(string root, IEnumerable<string> files)
    {
        var found = new List<DataReference>();
        foreach (var file in files)
        {
            if (file.EndsWith(".cs", StringComparison.Ordinal) && (file.StartsWith("tests/", StringComparison.Ordinal) || file.StartsWith("bench/", StringComparison.Ordinal)))
                found.AddRange(InCSharp(file, WithoutCommentLines(File.ReadAllText(Path.Combine(root, file)))));
            else if ((file.EndsWith(".js", StringComparison.Ordinal) || file.EndsWith(".mjs", StringComparison.Ordinal)) && file.StartsWith("localnet/", StringComparison.Ordinal))
                found.AddRange(InJavaScript(file, WithoutCommentLines(File.ReadAllText(Path.Combine(root, file)))));
        }
        return found.Where(r => !r.Path.Split('/').Any(BuildOutputs.Contains)).ToList();
    }

    /// <summary>FixtureFile("a", "b") is tests/Fixtures/a/b; RepoFile("a", x) is the folder a (x is known at run time).</summary>
    public static IEnumerable<DataReference> InCSharp(string file, string text)
    {
        foreach (Match call in CSharpCall().Matches(text))
        {
            var (parts, whole) = LeadingLiterals(text, call.Index + call.Length);
            if (parts.Count == 0)
                continue; // the definitions in RepoPaths, or a path made entirely at run time
            var prefix = call.Groups["method"].Value == "FixtureFile" ? "tests/Fixtures/" : "";
            yield return new DataReference(Normalize(prefix + string.Join('/', parts)), $"{file}:{LineOf(text, call.Index)}", !whole);
        }
    }

    /// <summary>Relative path literals resolve against the file's own folder; fixture('x') is tests/Fixtures/rpc/x.</summary>
    public static IEnumerable<DataReference> InJavaScript(string file, string text)
    {
        var folder = file.Contains('/', StringComparison.Ordinal) ? file[..file.LastIndexOf('/')] : "";
        foreach (Match literal in RelativeLiteral().Matches(text))
            yield return new DataReference(Normalize(folder + "/" + literal.Groups["path"].Value), $"{file}:{LineOf(text, literal.Index)}", false);
        foreach (Match call in NodeFixture().Matches(text))
            yield return new DataReference($"{NodeFixturesFolder}/{call.Groups["name"].Value}", $"{file}:{LineOf(text, call.Index)}", false);
    }

    /// <summary>The plain string literals that open an argument list, and whether they are all of it.</summary>
    private static (List<string> Parts, bool Whole) LeadingLiterals(string text, int at)
    {
        var parts = new List<string>();
        while (true)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
                at++;
            if (at >= text.Length || text[at] != '"')
                return (parts, at < text.Length && text[at] == ')');
            var end = text.IndexOf('"', at + 1);
            if (end < 0 || text[(at + 1)..end].Contains('\\', StringComparison.Ordinal))
                return (parts, false);
            parts.Add(text[(at + 1)..end]);
            at = end + 1;
            while (at < text.Length && char.IsWhiteSpace(text[at]))
                at++;
            if (at < text.Length && text[at] == ',')
                at++;
            else
                return (parts, at < text.Length && text[at] == ')');
        }
    }

    /// <summary>Resolves "." and ".." segments; a path that leaves the repository keeps its leading "..".</summary>
    private static string Normalize(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
                continue;
            if (segment == ".." && segments.Count > 0 && segments[^1] != "..")
                segments.RemoveAt(segments.Count - 1);
            else
                segments.Add(segment);
        }
        return string.Join('/', segments);
    }

    /// <summary>Blanks whole-line comments (//, ///, /* and * lines), keeping the line numbers: examples in prose are not reads.</summary>
    private static string WithoutCommentLines(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.TrimStart() is var t && (t.StartsWith("//", StringComparison.Ordinal) || t.StartsWith("/*", StringComparison.Ordinal) || t.StartsWith('*')) ? "" : line));

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"\b(?<method>FixtureFile|RepoFile)\(")]
    private static partial Regex CSharpCall();

    [GeneratedRegex(@"(?<q>['""`])(?<path>\.\.?/[^'""`$\s]*)\k<q>")]
    private static partial Regex RelativeLiteral();

    [GeneratedRegex(@"\bfixture\(\s*(?<q>['""])(?<name>[^'""]+)\k<q>\s*\)")]
    private static partial Regex NodeFixture();
}
