namespace IoNet.TestSupport;

/// <summary>
/// Where the repository and its committed test data are, from any test's or benchmark's bin folder. Every data file a
/// test or benchmark reads is named through <see cref="FixtureFile"/> or <see cref="RepoFile"/> with literal parts, so
/// FreshCloneTests can check that a clone of the repository holds each of them.
/// </summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>tests/Fixtures: recorded RPC responses (rpc/) and independent test vectors (vectors/); see its README.md.</summary>
    public static string Fixtures { get; } = Path.Combine(Root, "tests", "Fixtures");

    public static string FixtureFile(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    public static string RepoFile(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IoNet.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("IoNet.sln not found above " + AppContext.BaseDirectory);
    }
}
