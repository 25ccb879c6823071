using System.Text.RegularExpressions;
using System.Xml.Linq;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Repository;

/// <summary>
/// The images docker-compose.yml builds can be built: no Docker daemon runs where the tests run, so what can go stale is
/// checked on the files themselves. Each Dockerfile copies the project file (before its restore) and the sources of
/// every project its service references, however indirectly, and starts the assembly that project builds. (The
/// marketplace's image lacked Suppliers/ once the marketplace came to reference it.)
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> ComposeDockerfiles()
    {
        var compose = File.ReadAllText(Path.Combine(RepoPaths.Root, "docker-compose.yml"));
        var data = new TheoryData<string>();
        foreach (var dockerfile in DockerfileLine().Matches(compose).Select(m => m.Groups[1].Value).Distinct())
            data.Add(dockerfile);
        return data;
    }

    [Fact]
    public void compose_builds_the_indexer_the_marketplace_and_the_explorer() =>
        ComposeDockerfiles().Select(row => row.Data).ShouldBe(
            ["Indexer/Dockerfile", "Marketplace.Api/Dockerfile", "Explorer.GraphQL/Dockerfile"], ignoreOrder: true);

    [Theory]
    [MemberData(nameof(ComposeDockerfiles))]
    public void a_dockerfile_copies_every_project_its_service_references_and_starts_its_assembly(string dockerfile)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, dockerfile)).Select(l => l.Trim()).ToList();
        var serviceDir = Path.GetDirectoryName(dockerfile)!;
        var project = $"{serviceDir}/{serviceDir}.csproj";
        var restore = lines.FindIndex(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        restore.ShouldBeGreaterThan(0, $"{dockerfile} restores before it copies the sources");

        var problems = new List<string>();
        foreach (var dir in ProjectClosure(project))
        {
            var csproj = lines.FindIndex(l => l == $"COPY {dir}/{dir}.csproj {dir}/");
            if (csproj < 0 || csproj > restore)
                problems.Add($"{dockerfile} does not copy {dir}/{dir}.csproj before its restore");
            if (!lines.Contains($"COPY {dir}/ {dir}/"))
                problems.Add($"{dockerfile} does not copy the sources of {dir}/");
        }
        problems.ShouldBeEmpty();

        var assembly = XDocument.Load(Path.Combine(RepoPaths.Root, project)).Descendants("AssemblyName").Single().Value;
        lines.ShouldContain($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]");
    }

    /// <summary>The folders of a project and of every project it references, directly or not (each named like its folder).</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            var dir = Path.GetDirectoryName(next)!;
            if (!seen.Add(dir))
                continue;
            foreach (var reference in XDocument.Load(Path.Combine(RepoPaths.Root, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(RepoPaths.Root, dir, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/'));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"dockerfile:\s*(\S+)")]
    private static partial Regex DockerfileLine();
}
