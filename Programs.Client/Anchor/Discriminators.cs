using System.Security.Cryptography;
using System.Text;

namespace IoNet.Programs.Anchor;

/// <summary>Anchor's discriminator rules: the first 8 bytes of sha256("namespace:name").</summary>
public static class Discriminators
{
    public const int Length = 8;

    /// <summary>The tag of an emit_cpi event instruction: sha256("anchor:event")[..8] read as a little-endian u64, i.e. e445a52e51cb9a1d.</summary>
    public static ReadOnlySpan<byte> EventInstructionTag => [0xe4, 0x45, 0xa5, 0x2e, 0x51, 0xcb, 0x9a, 0x1d];

    public static byte[] Of(string preimage)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(preimage));
        return hash[..Length];
    }

    /// <summary>sha256("global:&lt;snake_case name&gt;")[..8].</summary>
    public static byte[] Instruction(string name) => Of("global:" + SnakeCase(name));

    public static byte[] Event(string name) => Of("event:" + name);

    public static byte[] Account(string name) => Of("account:" + name);

    /// <summary>
    /// snake_case as the Rust `heck` crate (which Anchor uses) writes it: words split at characters that are not letters or
    /// digits, before an upper-case letter that follows a lower-case letter or digit, and before the last capital of an
    /// acronym followed by a lower-case letter ("HTTPServer" is "http_server", "initializeV2" is "initialize_v2").
    /// </summary>
    public static string SnakeCase(string name)
    {
        var words = new List<string>();
        foreach (var part in name.Split(c => !char.IsLetterOrDigit(c)))
        {
            if (part.Length == 0) continue;
            var start = 0;
            var mode = Mode.Boundary;
            for (var i = 0; i < part.Length; i++)
            {
                var c = part[i];
                if (i + 1 == part.Length)
                {
                    words.Add(part[start..]);
                    break;
                }
                var next = part[i + 1];
                var nextMode = char.IsLower(c) ? Mode.Lower : char.IsUpper(c) ? Mode.Upper : mode;
                if (nextMode == Mode.Lower && char.IsUpper(next))
                {
                    words.Add(part[start..(i + 1)]);
                    start = i + 1;
                    mode = Mode.Boundary;
                }
                else if (mode == Mode.Upper && char.IsUpper(c) && char.IsLower(next))
                {
                    words.Add(part[start..i]);
                    start = i;
                    mode = Mode.Boundary;
                }
                else
                {
                    mode = nextMode;
                }
            }
        }
        return string.Join('_', words.Select(w => w.ToLowerInvariant()));
    }

    private enum Mode { Boundary, Lower, Upper }
}

internal static class StringSplitExtensions
{
    public static IEnumerable<string> Split(this string text, Func<char, bool> separator)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (separator(c))
            {
                yield return sb.ToString();
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }
        yield return sb.ToString();
    }
}
