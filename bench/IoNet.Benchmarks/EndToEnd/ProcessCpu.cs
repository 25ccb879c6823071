using System.Globalization;

namespace IoNet.Benchmarks.EndToEnd;

/// <summary>
/// CPU time of processes from /proc (Linux): user + system seconds, read before and after a run, so a benchmark can
/// say which process used the cores. A PostgreSQL cluster is its postmaster plus every backend: the backends still
/// alive are read one by one, and those that exited are in the postmaster's own children's time (cutime, cstime).
/// </summary>
public static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // CLK_TCK; 100 on every Linux this project runs on

    /// <summary>CPU seconds of <paramref name="pid"/> itself; with <paramref name="withReapedChildren"/> also of its children it has waited for.</summary>
    public static double Seconds(int pid, bool withReapedChildren = false)
    {
        var fields = Fields(pid);
        if (fields is null)
            return 0;
        var ticks = Ticks(fields, 11) + Ticks(fields, 12); // utime, stime (fields 14 and 15 of stat)
        if (withReapedChildren)
            ticks += Ticks(fields, 13) + Ticks(fields, 14); // cutime, cstime
        return ticks / TicksPerSecond;
    }

    /// <summary>The calling process's reaped children: how a child that already exited is accounted.</summary>
    public static double ReapedChildrenOfSelf()
    {
        var fields = Fields(Environment.ProcessId)!;
        return (Ticks(fields, 13) + Ticks(fields, 14)) / TicksPerSecond;
    }

    /// <summary>CPU seconds of a process tree one level deep: <paramref name="parent"/> with its reaped children, plus its live children.</summary>
    public static double Tree(int parent)
    {
        var total = Seconds(parent, withReapedChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            var fields = Fields(pid);
            if (fields is not null && long.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                total += (Ticks(fields, 11) + Ticks(fields, 12)) / TicksPerSecond;
        }
        return total;
    }

    /// <summary>The parent process id of <paramref name="pid"/>.</summary>
    public static int Parent(int pid) => int.Parse(Fields(pid)?[1] ?? throw new InvalidOperationException($"no process {pid}"), CultureInfo.InvariantCulture);

    /// <summary>/proc/loadavg's three load averages, as text.</summary>
    public static string LoadAverage()
    {
        var parts = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"load average {parts[0]}, {parts[1]}, {parts[2]}";
    }

    /// <summary>The fields of /proc/PID/stat after the command name: index 0 is the state (field 3 of the man page).</summary>
    private static string[]? Fields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name is in parentheses and may hold spaces: split after its closing one.
        return text[(text.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
}
