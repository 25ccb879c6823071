namespace IoNet.TestSupport;

/// <summary>Where the repository and the shared test data (../shared next to it) are, from any test's bin folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared beside the repository: fixtures/rpc and vectors from independent implementations.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

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
