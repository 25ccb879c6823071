using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The speed a device is expected to solve at, in 10^9 modular multiply-adds per second: for a GPU model its
/// multiprocessors × INT32 lanes × boost clock / slots per multiply-add, for a CPU its threads × a per-thread rate
/// (proof-of-work-rates.json, embedded: data, not code; docs/proof-of-work.md, "Deadlines"). The matrix side n of a
/// GPU comes from the marketplace's hardware catalogue (proofOfWorkN); CPUs all get <see cref="CpuN"/>.
/// </summary>
public sealed class ProofOfWorkRates
{
    private const string ResourceName = "IoNet.Suppliers.ProofOfWork.proof-of-work-rates.json";

    private static readonly Lazy<ProofOfWorkRates> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, GpuRate> _gpus;

    private ProofOfWorkRates(RatesFile file)
    {
        if (file.SlotsPerModularMac <= 0 || file.CpuGigaMacsPerThread <= 0 || file.CpuN is < 1 or > ProofOfWorkLimits.MaxN)
            throw new InvalidDataException("proof-of-work-rates.json: slots, CPU rate and CPU n must be positive (n at most 32768).");
        SlotsPerModularMac = file.SlotsPerModularMac;
        CpuGigaMacsPerThread = file.CpuGigaMacsPerThread;
        CpuN = file.CpuN;
        _gpus = file.Gpus.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);
        if (_gpus.Values.FirstOrDefault(g => g.Multiprocessors <= 0 || g.Int32LanesPerMultiprocessor <= 0 || g.BoostGHz <= 0) is { } bad)
            throw new InvalidDataException($"proof-of-work-rates.json: GPU '{bad.Id}' needs positive counts and clock.");
    }

    public static ProofOfWorkRates Default => Embedded.Value;

    public int SlotsPerModularMac { get; }

    public decimal CpuGigaMacsPerThread { get; }

    /// <summary>The matrix side of every CPU device's challenge.</summary>
    public int CpuN { get; }

    public IReadOnlyCollection<string> GpuIds => _gpus.Keys;

    /// <summary>The expected rate of one GPU of model <paramref name="modelId"/> (rounded down, at least 1), or null for a model not in the table.</summary>
    public long? GpuGigaMacsPerSecond(string modelId) =>
        _gpus.TryGetValue(modelId, out var g)
            ? Math.Max(1, (long)(g.Multiprocessors * g.Int32LanesPerMultiprocessor * g.BoostGHz / SlotsPerModularMac))
            : null;

    /// <summary>The expected rate of a CPU with <paramref name="threads"/> hardware threads (rounded down, at least 1).</summary>
    public long CpuGigaMacsPerSecond(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        return Math.Max(1, (long)(threads * CpuGigaMacsPerThread));
    }

    private static ProofOfWorkRates LoadEmbedded()
    {
        using var stream = typeof(ProofOfWorkRates).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        var file = JsonSerializer.Deserialize<RatesFile>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException("proof-of-work-rates.json is empty.");
        return new ProofOfWorkRates(file);
    }

    private sealed record RatesFile(
        [property: JsonRequired] int SlotsPerModularMac, [property: JsonRequired] decimal CpuGigaMacsPerThread,
        [property: JsonRequired] int CpuN, [property: JsonRequired] IReadOnlyList<GpuRate> Gpus);

    private sealed record GpuRate(
        [property: JsonRequired] string Id, [property: JsonRequired] int Multiprocessors,
        [property: JsonRequired] int Int32LanesPerMultiprocessor, [property: JsonRequired] decimal BoostGHz);
}
