using System.Globalization;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Anchor.Events;

/// <summary>
/// Follows a transaction's log messages: `Program X invoke [n]` pushes X, `Program X success` and `Program X failed: ...`
/// pop it, so each `Program data:` line is attributed to the program on top of the stack (the one executing).
/// `Program log:`, `Program return:`, `Program X consumed ...` and anything else are skipped. A mismatched depth or
/// return resynchronises the stack instead of failing, and `Log truncated` ends nothing: the walk just goes on.
/// </summary>
public static class ProgramLogs
{
    public const string DataPrefix = "Program data: ";

    public static IReadOnlyList<ProgramDataLog> DataLines(IReadOnlyList<string?> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var stack = new List<PublicKey?>();
        var lines = new List<ProgramDataLog>();
        for (var index = 0; index < logs.Count; index++)
        {
            var line = logs[index];
            if (line is null || !line.StartsWith("Program ", StringComparison.Ordinal)) continue;
            if (line.StartsWith(DataPrefix, StringComparison.Ordinal))
            {
                var program = stack.Count > 0 ? stack[^1] : null;
                lines.Add(new ProgramDataLog(index, program, stack.Count, line[DataPrefix.Length..]));
                continue;
            }
            if (line.StartsWith("Program log:", StringComparison.Ordinal) || line.StartsWith("Program return:", StringComparison.Ordinal))
                continue;
            var rest = line.AsSpan("Program ".Length);
            var space = rest.IndexOf(' ');
            if (space <= 0) continue;
            var id = rest[..space].ToString();
            var tail = rest[(space + 1)..];
            if (tail.StartsWith("invoke [") && tail.EndsWith("]"))
            {
                var depthText = tail["invoke [".Length..^1];
                if (!int.TryParse(depthText, NumberStyles.None, CultureInfo.InvariantCulture, out var depth) || depth < 1 || depth > 64)
                    continue;
                // Depth n means n-1 programs are below this one; resynchronise if the logs skipped or lost some.
                while (stack.Count > depth - 1) stack.RemoveAt(stack.Count - 1);
                while (stack.Count < depth - 1) stack.Add(null);
                stack.Add(PublicKey.TryParse(id, out var key) ? key : null);
            }
            else if (tail.SequenceEqual("success") || tail.StartsWith("failed"))
            {
                Pop(stack, id);
            }
        }
        return lines;
    }

    /// <summary>Pops the returning program; if it is not on top, pops down to it; if it is not on the stack, keeps the stack.</summary>
    private static void Pop(List<PublicKey?> stack, string id)
    {
        if (!PublicKey.TryParse(id, out var key))
        {
            if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
            return;
        }
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            if (stack[i] is { } k && k == key)
            {
                stack.RemoveRange(i, stack.Count - i);
                return;
            }
        }
        // Not found: an unknown (null) frame from a resync may stand for it.
        if (stack.Count > 0 && stack[^1] is null) stack.RemoveAt(stack.Count - 1);
    }
}
