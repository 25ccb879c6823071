using IoNet.Indexer.Crawling;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.Programs.Flows;
using IoNet.Solana;
using IoNet.Solana.Keys;

namespace IoNet.Indexer.Configuration;

/// <summary>
/// Everything the indexer tracks, from its settings: the network's accounts (localnet's address file), one source
/// per mint and vault, one per configured Anchor program (with the parser for its events), and each source's start slot.
/// </summary>
public sealed record IndexerSources(IoNetAddresses Network, IReadOnlyList<TrackedSource> Sources, AnchorEventParser? Anchor)
{
    public static IndexerSources Load(IndexerSettings settings, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (network, sources) = NetworkAddresses.Load(Resolve(settings.AddressFile, baseDirectory));
        var all = new List<TrackedSource>(sources);
        var coders = new List<AnchorCoder>();
        foreach (var program in settings.AnchorPrograms)
        {
            var coder = LoadCoder(program, baseDirectory);
            var name = program.Name ?? coder.Idl.Name;
            if (string.IsNullOrWhiteSpace(name) || name.Contains(':', StringComparison.Ordinal))
                throw new SolanaException($"Anchor program name '{name}' must be non-empty and without ':'.");
            if (coders.Any(c => c.ProgramId == coder.ProgramId))
                throw new SolanaException($"Anchor program {coder.ProgramId} is configured twice.");
            coders.Add(coder);
            all.Add(new TrackedSource($"anchor:{name}:{coder.ProgramId}", coder.ProgramId!.Value));
        }
        var unusedSlots = new HashSet<string>(settings.StartSlots.Keys, StringComparer.Ordinal);
        var unusedModes = new HashSet<string>(settings.Sources.Keys, StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
        {
            var source = all[i];
            string[] keys = [Dotted(source.Kind), Dotted(source.Name), source.Address.ToString()];
            if (keys.FirstOrDefault(settings.StartSlots.ContainsKey) is { } slotKey)
            {
                unusedSlots.Remove(slotKey);
                source = source with { StartSlot = settings.StartSlots[slotKey] };
            }
            if (keys.FirstOrDefault(settings.Sources.ContainsKey) is { } modeKey)
            {
                unusedModes.Remove(modeKey);
                source = source with { Mode = settings.Sources[modeKey] };
            }
            all[i] = source;
        }
        foreach (var (setting, unused) in new[] { ("StartSlots", unusedSlots), ("Sources", unusedModes) })
        {
            if (unused.Count > 0)
                throw new SolanaException($"Indexer:{setting} names no tracked source: {string.Join(", ", unused)} "
                    + $"(known: {string.Join(", ", all.Select(s => Dotted(s.Kind)))}, or a source's address).");
        }
        return new IndexerSources(network, all, coders.Count > 0 ? new AnchorEventParser(coders) : null);
    }

    private static AnchorCoder LoadCoder(AnchorProgramSettings program, string? baseDirectory)
    {
        var path = Resolve(program.IdlFile, baseDirectory);
        if (string.IsNullOrWhiteSpace(program.IdlFile) || !File.Exists(path))
            throw new SolanaException($"Anchor IDL file '{program.IdlFile}' not found.");
        PublicKey? id = null;
        if (program.ProgramId is { } text)
            id = PublicKey.TryParse(text, out var key) ? key : throw new SolanaException($"Anchor program id '{text}' is not a public key.");
        try
        {
            var coder = AnchorCoder.FromJson(File.ReadAllText(path), id);
            return coder.ProgramId is null
                ? throw new SolanaException($"The IDL {path} names no program address: set ProgramId for it.")
                : coder;
        }
        catch (AnchorCoderException e)
        {
            throw new SolanaException($"Anchor IDL {path}: {e.Message}", e);
        }
    }

    private static string Dotted(string name) => name.Replace(':', '.');

    private static string Resolve(string path, string? baseDirectory) =>
        baseDirectory is null || Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
}
