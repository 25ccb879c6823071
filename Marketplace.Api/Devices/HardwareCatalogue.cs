using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Marketplace.Devices;

/// <summary>
/// A GPU model of the catalogue. <see cref="Class"/>: the class a bid may name instead of a model (datacenter,
/// workstation, consumer). <see cref="ProofOfWorkN"/>: the matrix side of its proof-of-work challenge.
/// </summary>
public sealed record GpuModel(string Id, string Name, string Vendor, string Class, int VramGiB, decimal Fp16Tflops, decimal HardwareMultiplier, int ProofOfWorkN);

public sealed record CpuClass(string Id, string Name, string Architecture, int Cores, int Threads, decimal HardwareMultiplier);

/// <summary>
/// The hardware the marketplace knows (Devices/hardware-catalogue.json, copied next to the assembly): data, not code.
/// Ids are matched without regard to case and stored as the catalogue spells them.
/// </summary>
public sealed class HardwareCatalogue
{
    public const string FileName = "hardware-catalogue.json";

    private readonly Dictionary<string, GpuModel> _gpus;
    private readonly Dictionary<string, CpuClass> _cpus;

    public HardwareCatalogue(IReadOnlyList<GpuModel> gpus, IReadOnlyList<CpuClass> cpus)
    {
        Gpus = gpus;
        Cpus = cpus;
        _gpus = gpus.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);
        _cpus = cpus.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<GpuModel> Gpus { get; }
    public IReadOnlyList<CpuClass> Cpus { get; }

    public GpuModel? Gpu(string id) => _gpus.GetValueOrDefault(id);

    public CpuClass? Cpu(string id) => _cpus.GetValueOrDefault(id);

    /// <summary>Whether a bid may name <paramref name="gpuClass"/> (compared as the catalogue spells it).</summary>
    public bool IsGpuClass(string gpuClass) => Gpus.Any(g => string.Equals(g.Class, gpuClass, StringComparison.Ordinal));

    public static HardwareCatalogue LoadDefault() => Load(Path.Combine(AppContext.BaseDirectory, "Devices", FileName));

    /// <summary>Reads and checks the file: unique ids, positive numbers, a proof-of-work size whose matrices fit in memory.</summary>
    public static HardwareCatalogue Load(string path)
    {
        var file = JsonSerializer.Deserialize(File.ReadAllText(path), CatalogueJson.Default.CatalogueFile)
            ?? throw new InvalidOperationException($"{path} is empty.");
        var problems = new List<string>();
        foreach (var g in file.Gpus)
        {
            if (string.IsNullOrWhiteSpace(g.Id) || string.IsNullOrWhiteSpace(g.Class) || g.VramGiB <= 0 || g.Fp16Tflops <= 0 || g.HardwareMultiplier <= 0 || g.ProofOfWorkN <= 0)
                problems.Add($"GPU '{g.Id}': an id, a class and positive numbers are required");
            else if (6L * g.ProofOfWorkN * g.ProofOfWorkN > (long)g.VramGiB << 30)
                problems.Add($"GPU '{g.Id}': three {g.ProofOfWorkN}² FP16 matrices do not fit in {g.VramGiB} GiB");
        }
        foreach (var c in file.Cpus)
        {
            if (string.IsNullOrWhiteSpace(c.Id) || c.Cores <= 0 || c.Threads < c.Cores || c.HardwareMultiplier <= 0)
                problems.Add($"CPU '{c.Id}': an id, positive cores, threads >= cores and a positive multiplier are required");
        }
        problems.AddRange(file.Gpus.Select(g => g.Id).Concat(file.Cpus.Select(c => c.Id))
            .GroupBy(id => id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"id '{g.Key}' appears twice"));
        if (problems.Count > 0)
            throw new InvalidOperationException($"{path}: {string.Join("; ", problems)}.");
        return new HardwareCatalogue(file.Gpus, file.Cpus);
    }

    internal sealed record CatalogueFile(IReadOnlyList<string> Notes, IReadOnlyList<GpuModel> Gpus, IReadOnlyList<CpuClass> Cpus);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(HardwareCatalogue.CatalogueFile))]
internal sealed partial class CatalogueJson : JsonSerializerContext;
