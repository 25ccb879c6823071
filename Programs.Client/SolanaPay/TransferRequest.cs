using System.Text;
using IoNet.Programs.Decoding;
using IoNet.Solana.Keys;

namespace IoNet.Programs.SolanaPay;

/// <summary>
/// A Solana Pay transfer request (solana:&lt;recipient&gt;?amount=&amp;spl-token=&amp;reference=&amp;label=&amp;message=&amp;memo=),
/// built and parsed exactly per the specification. <see cref="Amount"/> is in user units as text ("1.5").
/// </summary>
/// <remarks>
/// An amount is never finer than its mint: a SOL request (no spl-token) has at most 9 decimal places, which
/// <see cref="ToUrl()"/> and <see cref="Parse(string)"/> enforce; a token's decimals are not in the URL, so
/// <see cref="ToUrl(byte)"/>, <see cref="Parse(string, byte)"/> and <see cref="For"/> take them (a wallet refuses
/// "amount=0.0000001" of a 6-decimal mint, as @solana/pay's createTransfer does).
/// </remarks>
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

    /// <summary>A request for exactly <paramref name="baseUnits"/> of a mint with <paramref name="decimals"/> (SOL: 9, no spl-token).</summary>
    public static TransferRequest For(
        PublicKey recipient, ulong baseUnits, byte decimals, PublicKey? splToken = null, IReadOnlyList<PublicKey>? references = null,
        string? label = null, string? message = null, string? memo = null)
    {
        if (splToken is null && decimals != SolanaPayTransfer.SolDecimals)
            throw new ArgumentOutOfRangeException(nameof(decimals), decimals, "A request without spl-token is for SOL, which has 9 decimals.");
        return new TransferRequest(recipient, TokenAmount.Format(baseUnits, decimals), splToken, references, label, message, memo);
    }

    /// <summary>The amount in base units of a mint with <paramref name="decimals"/>; refused when it is finer than the mint.</summary>
    public ulong? AmountIn(byte decimals) => Amount is null ? null : TokenAmount.ToBaseUnits(Amount, decimals);

    /// <summary>The URL, after checking that the amount has no more decimal places than the spl-token's <paramref name="decimals"/>.</summary>
    public string ToUrl(byte decimals)
    {
        CheckDecimals(Amount, SplToken is null ? SolanaPayTransfer.SolDecimals : decimals);
        return ToUrl();
    }

    public string ToUrl()
    {
        if (Amount is not null && !TokenAmount.IsWellFormed(Amount))
            throw new ProgramDecodeException($"Amount '{Amount}' is not a valid Solana Pay amount.");
        if (SplToken is null)
            CheckDecimals(Amount, SolanaPayTransfer.SolDecimals);
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

    /// <summary>As <see cref="Parse(string)"/>, and refuses an amount finer than the spl-token's <paramref name="decimals"/>.</summary>
    public static TransferRequest Parse(string url, byte decimals)
    {
        var request = Parse(url);
        CheckDecimals(request.Amount, request.SplToken is null ? SolanaPayTransfer.SolDecimals : decimals);
        return request;
    }

    private static void CheckDecimals(string? amount, byte decimals)
    {
        if (amount is not null && TokenAmount.DecimalPlaces(amount) > decimals)
            throw new ProgramDecodeException($"Amount '{amount}' has more decimal places than the mint's {decimals}.");
    }

    /// <summary>
    /// Parses a transfer request URL; anything off-spec is a <see cref="ProgramDecodeException"/> saying what. A SOL
    /// amount (no spl-token) finer than a lamport is refused; for a token use <see cref="Parse(string, byte)"/>.
    /// </summary>
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
        if (splToken is null)
            CheckDecimals(amount, SolanaPayTransfer.SolDecimals);
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
