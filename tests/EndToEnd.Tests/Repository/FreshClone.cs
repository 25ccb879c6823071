using System.Diagnostics;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Repository;

/// <summary>
/// A clone of the committed HEAD of the repository the tests run in, alone in an empty temporary folder (what CI and a
/// newcomer get); a class fixture. Uncommitted changes of the working tree are not in it.
/// </summary>
public sealed class FreshClone : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ionet-fresh-clone-").FullName;

    public FreshClone()
    {
        Root = Path.Combine(_folder, "clone");
        Git(RepoPaths.Root, "clone", "--no-hardlinks", "-q", RepoPaths.Root, Root);
        Files = Lines(Git(Root, "ls-files", "-z")).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The clone's work tree.</summary>
    public string Root { get; }

    /// <summary>Tracked files of the clone, repository-relative with '/'.</summary>
    public IReadOnlySet<string> Files { get; }

    /// <summary>Whether the clone has this file or folder (repository-relative).</summary>
    public bool Has(string path) => File.Exists(Path.Combine(Root, path)) || Directory.Exists(Path.Combine(Root, path));

    /// <summary>
    /// Files of the working tree the tests run in that git does not ignore (committed, staged or new) and that exist
    /// on disk: what the tests can read right now.
    /// </summary>
    public static IReadOnlyList<string> WorkingTreeFiles() =>
        Lines(Git(RepoPaths.Root, "ls-files", "--cached", "--others", "--exclude-standard", "-z"))
            .Distinct(StringComparer.Ordinal)
            .Where(f => File.Exists(Path.Combine(RepoPaths.Root, f)))
            .ToList();

    private static string[] Lines(string nulSeparated) => nulSeparated.Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static string Git(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("core.quotepath=off");
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var git = Process.Start(info) ?? throw new InvalidOperationException("git did not start");
        var error = git.StandardError.ReadToEndAsync();
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} in {workingDirectory} exited {git.ExitCode}: {error.Result}");
        return output;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
