using System.Text;

namespace IoNet.Marketplace.SignIn;

/// <summary>
/// A Sign-In With Solana message (wallet-standard `solana:signIn`, after EIP-4361 / CAIP-122), as text:
/// <code>
/// ${domain} wants you to sign in with your Solana account:
/// ${address}
///
/// ${statement}
///
/// URI: ${uri}
/// Version: ${version}
/// Chain ID: ${chainId}
/// Nonce: ${nonce}
/// Issued At: ${issuedAt}
/// Expiration Time: ${expirationTime}
/// Not Before: ${notBefore}
/// Request ID: ${requestId}
/// Resources:
/// - ${resources[0]}
/// </code>
/// Every part after the address is optional and left out when absent, exactly as @solana/wallet-standard-util's
/// createSignInMessageText writes it (tests compare the two byte for byte). Times stay text: the signed text is the truth.
/// </summary>
public sealed record SignInMessage
{
    private const string Header = " wants you to sign in with your Solana account:";

    public required string Domain { get; init; }
    public required string Address { get; init; }
    public string? Statement { get; init; }
    public string? Uri { get; init; }
    public string? Version { get; init; }
    public string? ChainId { get; init; }
    public string? Nonce { get; init; }
    public string? IssuedAt { get; init; }
    public string? ExpirationTime { get; init; }
    public string? NotBefore { get; init; }
    public string? RequestId { get; init; }
    public IReadOnlyList<string>? Resources { get; init; }

    // The field lines in the order the spec writes them.
    private static readonly string[] Labels = ["URI: ", "Version: ", "Chain ID: ", "Nonce: ", "Issued At: ", "Expiration Time: ", "Not Before: ", "Request ID: "];

    public string ToText()
    {
        var text = new StringBuilder().Append(Domain).Append(Header).Append('\n').Append(Address);
        if (!string.IsNullOrEmpty(Statement))
            text.Append("\n\n").Append(Statement);
        var fields = new List<string>();
        string?[] values = [Uri, Version, ChainId, Nonce, IssuedAt, ExpirationTime, NotBefore, RequestId];
        for (var i = 0; i < Labels.Length; i++)
        {
            if (!string.IsNullOrEmpty(values[i]))
                fields.Add(Labels[i] + values[i]);
        }
        if (Resources is not null)
        {
            fields.Add("Resources:");
            fields.AddRange(Resources.Select(r => "- " + r));
        }
        if (fields.Count > 0)
            text.Append("\n\n").AppendJoin('\n', fields);
        return text.ToString();
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToText());

    /// <summary>
    /// Parses the text strictly: the exact layout <see cref="ToText"/> writes (so parse then write gives the same bytes),
    /// fields once each and in order, no carriage returns or other control characters, no empty values.
    /// </summary>
    public static bool TryParse(string text, out SignInMessage? message, out string error)
    {
        message = null;
        if (text.Any(c => char.IsControl(c) && c != '\n'))
            return Fail("the message contains a control character other than a line feed", out error);
        var lines = text.Split('\n');
        if (!lines[0].EndsWith(Header, StringComparison.Ordinal) || lines[0].Length == Header.Length)
            return Fail($"the first line must be '<domain>{Header}'", out error);
        var domain = lines[0][..^Header.Length];
        if (domain.Any(char.IsWhiteSpace))
            return Fail("the domain contains white space", out error);
        if (lines.Length < 2 || lines[1].Length == 0 || lines[1].Any(char.IsWhiteSpace))
            return Fail("the second line must be the address", out error);

        var at = 2;
        string? statement = null;
        if (at < lines.Length)
        {
            if (lines[at].Length != 0 || at + 1 >= lines.Length)
                return Fail("an empty line must follow the address", out error);
            at++;
            if (lines[at].Length == 0)
                return Fail("the statement (or the first field) is missing after the empty line", out error);
            if (!IsFieldLine(lines[at]))
            {
                statement = lines[at++];
                if (at < lines.Length)
                {
                    if (lines[at].Length != 0 || at + 1 >= lines.Length)
                        return Fail("an empty line must follow the statement", out error);
                    at++;
                }
            }
        }

        var values = new string?[Labels.Length];
        var next = 0;
        List<string>? resources = null;
        for (; at < lines.Length; at++)
        {
            var line = lines[at];
            if (line == "Resources:")
            {
                resources = [];
                for (at++; at < lines.Length; at++)
                {
                    if (!lines[at].StartsWith("- ", StringComparison.Ordinal) || lines[at].Length == 2)
                        return Fail($"line {at + 1}: after 'Resources:' only '- <resource>' lines may follow", out error);
                    resources.Add(lines[at][2..]);
                }
                break;
            }
            var label = Array.FindIndex(Labels, l => line.StartsWith(l, StringComparison.Ordinal));
            if (label < 0)
                return Fail($"line {at + 1} is not a field of the message ('{Truncate(line)}')", out error);
            if (label < next)
                return Fail($"line {at + 1}: '{Labels[label].TrimEnd(' ', ':')}' is repeated or out of order", out error);
            var value = line[Labels[label].Length..];
            if (value.Length == 0)
                return Fail($"line {at + 1}: '{Labels[label].TrimEnd(' ', ':')}' is empty", out error);
            values[label] = value;
            next = label + 1;
        }

        message = new SignInMessage
        {
            Domain = domain, Address = lines[1], Statement = statement, Uri = values[0], Version = values[1],
            ChainId = values[2], Nonce = values[3], IssuedAt = values[4], ExpirationTime = values[5], NotBefore = values[6],
            RequestId = values[7], Resources = resources,
        };
        error = "";
        return true;
    }

    private static bool IsFieldLine(string line) => line == "Resources:" || Labels.Any(l => line.StartsWith(l, StringComparison.Ordinal));

    private static string Truncate(string line) => line.Length <= 40 ? line : line[..40] + "…";

    private static bool Fail(string why, out string error)
    {
        error = why;
        return false;
    }
}
