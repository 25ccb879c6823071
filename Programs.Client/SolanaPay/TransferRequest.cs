using System.Text;
using IoNet.Programs.Decoding;
using IoNet.Solana.Keys;

namespace IoNet.Programs.SolanaPay;

/// <summary>
/// A Solana Pay transfer request (solana:&lt;recipient&gt;?amount=&amp;spl-token=&amp;reference=&amp;label=&amp;message=&amp;memo=),
/// built and parsed exactly per the specification. <see cref="Amount"/> is in user units as text ("1.5").
/// </summary>
public sealed record TransferRequest(
    PublicKey Recipient,
    string? Amount = null,
    PublicKey? SplToken = null,
    IReadOnlyList<PublicKey>? References = null,
    string? Label = null,
    string? Message = null,
    string? Memo = null)
{
    public const string Scheme = "solana";

    public IReadOnlyList<PublicKey> ReferenceKeys => References ?? [];

    public string ToUrl()
    {
        if (Amount is not null && !TokenAmount.IsWellFormed(Amount))
            throw new ProgramDecodeException($"Amount '{Amount}' is not a valid Solana Pay amount.");
        var query = new List<string>();
        if (Amount is not null) query.Add("amount=" + Amount);
        if (SplToken is { } mint) query.Add("spl-token=" + mint);
        foreach (var reference in ReferenceKeys) query.Add("reference=" + reference);
        if (Label is not null) query.Add("label=" + Uri.EscapeDataString(Label));
        if (Message is not null) query.Add("message=" + Uri.EscapeDataString(Message));
        if (Memo is not null) query.Add("memo=" + Uri.EscapeDataString(Memo));
        var url = new StringBuilder(Scheme).Append(':').Append(Recipient.ToString());
        if (query.Count > 0)
            url.Append('?').AppendJoin('&', query);
        return url.ToString();
    }

    public override string ToString() => ToUrl();

    /// <summary>Parses a transfer request URL; anything off-spec is a <see cref="ProgramDecodeException"/> saying what.</summary>
    public static TransferRequest Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.StartsWith(Scheme + ":", StringComparison.Ordinal))
            throw new ProgramDecodeException("Not a Solana Pay URL: it must start with 'solana:'.");
        var rest = url[(Scheme.Length + 1)..];
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rest : rest[..queryStart];
        if (path.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            throw new ProgramDecodeException("This is a Solana Pay transaction request (a link), not a transfer request.");
        if (!PublicKey.TryParse(path, out var recipient))
            throw new ProgramDecodeException($"Recipient '{path}' is not a base58 public key.");

        string? amount = null, label = null, message = null, memo = null;
        PublicKey? splToken = null;
        var references = new List<PublicKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in queryStart < 0 ? [] : rest[(queryStart + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : Unescape(pair[(equals + 1)..], name);
            if (name != "reference" && !seen.Add(name) && IsKnown(name))
                throw new ProgramDecodeException($"Field '{name}' appears more than once; the specification allows a single one.");
            switch (name)
            {
                case "amount":
                    amount = TokenAmount.IsWellFormed(value) ? value : throw new ProgramDecodeException($"Amount '{value}' is invalid: digits with an optional fraction, a leading 0 before the point, no exponent.");
                    break;
                case "spl-token":
                    splToken = PublicKey.TryParse(value, out var mint) ? mint : throw new ProgramDecodeException($"spl-token '{value}' is not a base58 public key.");
                    break;
                case "reference":
                    references.Add(PublicKey.TryParse(value, out var reference) ? reference : throw new ProgramDecodeException($"reference '{value}' is not 32 bytes of base58."));
                    break;
                case "label": label = value; break;
                case "message": message = value; break;
                case "memo": memo = value; break;
                default: break; // Unknown fields are ignored, as the specification asks of wallets.
            }
        }
        return new TransferRequest(recipient, amount, splToken, references.Count > 0 ? references : null, label, message, memo);
    }

    private static bool IsKnown(string name) => name is "amount" or "spl-token" or "label" or "message" or "memo";

    private static string Unescape(string value, string name)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            throw new ProgramDecodeException($"Field '{name}' is not valid percent-encoding.");
        }
    }

    public bool Equals(TransferRequest? other) =>
        other is not null && Recipient == other.Recipient && Amount == other.Amount && SplToken == other.SplToken
        && ReferenceKeys.SequenceEqual(other.ReferenceKeys) && Label == other.Label && Message == other.Message && Memo == other.Memo;

    public override int GetHashCode() => HashCode.Combine(Recipient, Amount, SplToken);
}
