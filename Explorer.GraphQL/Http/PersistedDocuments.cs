using System.Security.Cryptography;
using System.Text;

namespace IoNet.Explorer.Http;

/// <summary>
/// Persisted documents (optional for clients): the queries shipped in Persisted/*.graphql, each known by
/// "sha256:&lt;hex of its UTF-8 text&gt;". A request may send <c>documentId</c> instead of <c>query</c> (or Apollo's
/// <c>extensions.persistedQuery.sha256Hash</c>).
/// </summary>
public sealed class PersistedDocuments
{
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);

    public PersistedDocuments(string directory)
    {
        if (!Directory.Exists(directory))
            return;
        foreach (var file in Directory.GetFiles(directory, "*.graphql").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            _documents[IdOf(text)] = text;
            Names[Path.GetFileNameWithoutExtension(file)] = IdOf(text);
        }
    }

    /// <summary>File name (without .graphql) to document id.</summary>
    public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

    public static string IdOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The document for an id ("sha256:…", or the bare hex of Apollo's persisted queries).</summary>
    public string? Find(string id) => _documents.GetValueOrDefault(id.StartsWith("sha256:", StringComparison.Ordinal) ? id : "sha256:" + id);
}
