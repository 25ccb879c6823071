using System.Text;
using System.Text.RegularExpressions;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Repository;

/// <summary>
/// The repository stands on its own: a fresh clone of HEAD, with nothing beside it, holds every data file the tests,
/// benchmarks and localnet scripts read (found in their sources by <see cref="DataReferences"/>, so a new fixture is
/// covered once it is read through RepoPaths or a relative path in localnet), and no tracked file points at a folder
/// beside the repository.
/// </summary>
public sealed partial class FreshCloneTests(FreshClone clone) : IClassFixture<FreshClone>
{
    /// <summary>Where the provenance of the test data is written down; it may name where the data once came from.</summary>
    private const string ProvenanceDoc = "tests/Fixtures/README.md";

    [Fact]
    public void every_data_path_the_tests_benchmarks_and_scripts_read_is_committed()
    {
        var workingTree = FreshClone.WorkingTreeFiles();
        var references = DataReferences.Find(RepoPaths.Root, workingTree);

        // The scan sees the known readers (a scan that found nothing would prove nothing).
        var paths = references.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        paths.ShouldContain("tests/Fixtures/rpc"); // Solana.Tests' Fixtures, Programs.Client.Tests (names given per test)
        paths.ShouldContain("tests/Fixtures/vectors/solana.json");
        paths.ShouldContain("tests/Fixtures/vectors/anchor-escrow.json");
        paths.ShouldContain("tests/Fixtures/rpc/getBlock-json.json"); // the benchmarks
        paths.ShouldContain("tests/Fixtures/rpc/getTransaction-json-v0-swap-loadedAddresses.json"); // localnet's node tests
        paths.ShouldContain("tests/Solana.Tests/Vectors/web3-transactions.json"); // localnet/scripts' generator output
        paths.ShouldContain("bench/IoNet.Benchmarks/Samples");

        var problems = new List<string>();
        foreach (var reference in references)
        {
            if (reference.Path.StartsWith("..", StringComparison.Ordinal))
                problems.Add($"{reference.Source} reads {reference.Path}, outside the repository");
            else if (!clone.Has(reference.Path))
                problems.Add($"{reference.Source} reads {reference.Path}, which a fresh clone does not have");
        }
        // Every file the working tree has under a data path must be committed, or the tests pass here and fail in CI.
        var dataFolders = references.Where(r => !r.Path.StartsWith("..", StringComparison.Ordinal)).Select(r => r.Path).Append("tests/Fixtures").ToHashSet(StringComparer.Ordinal);
        foreach (var file in workingTree)
        {
            if (dataFolders.Any(d => file == d || file.StartsWith(d + "/", StringComparison.Ordinal)) && !clone.Files.Contains(file))
                problems.Add($"{file} is read by the tests but not committed (a fresh clone lacks it)");
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void no_tracked_file_points_at_a_folder_beside_the_repository()
    {
        var found = new List<string>();
        foreach (var file in clone.Files.Where(f => f != ProvenanceDoc).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(Path.Combine(clone.Root, file));
            if (bytes.AsSpan(0, Math.Min(bytes.Length, 8000)).Contains((byte)0))
                continue; // binary
            var lines = Encoding.UTF8.GetString(bytes).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (SiblingFolder().IsMatch(lines[i]))
                    found.Add($"{file}:{i + 1}: {lines[i].Trim()}");
            }
        }
        found.ShouldBeEmpty();
    }

    [Fact]
    public void every_fixture_file_has_its_provenance_written_down()
    {
        var readme = File.ReadAllText(Path.Combine(clone.Root, ProvenanceDoc));
        var unexplained = clone.Files
            .Where(f => f.StartsWith("tests/Fixtures/", StringComparison.Ordinal) && f != ProvenanceDoc)
            .Where(f => !readme.Contains(Path.GetFileName(f), StringComparison.Ordinal))
            .ToList();
        unexplained.ShouldBeEmpty();
    }

    /// <summary>
    /// The sibling folder of reference material beside the repository, as a relative path or as Path.Combine / resolve
    /// parts (two dots, then its name); written in pieces so that this file does not match itself.
    /// </summary>
    [GeneratedRegex(@"\.\.[/\\]" + "shared" + @"\b|['""]\.\.['""]\s*,\s*(?:['""]\.\.['""]\s*,\s*)*['""]" + "shared" + @"['""]")]
    private static partial Regex SiblingFolder();
}
