namespace IoNet.Worker.Home;

/// <summary>What a device declares when it registers (the hardware catalogue's ids: GET /api/hardware).</summary>
public sealed record DeviceFacts(
    string? GpuModel, int GpuCount, string CpuClass, int RamGiB, string Country, string City, string Connectivity, string Security)
{
    private static readonly string[] Gpus = ["H100", "A100-80GB", "L40S", "RTX-4090", "RTX-3090", "A10", "T4"];
    private static readonly string[] Cpus = ["EPYC-9654", "EPYC-7763", "XEON-8480", "RYZEN-7950X", "X86-GENERIC"];
    private static readonly (string Country, string City)[] Places =
        [("DE", "Berlin"), ("US", "Austin"), ("JP", "Tokyo"), ("FR", "Paris"), ("SG", "Singapore"), ("BR", "Sao Paulo"), ("IN", "Mumbai")];
    private static readonly string[] Tiers = ["Low", "Medium", "High", "Ultra"];
    private static readonly int[] Counts = [1, 1, 2, 4, 8];

    /// <summary>Simulated device <paramref name="index"/>'s facts: the same seed and index always give the same ones; one in five is CPU-only.</summary>
    public static DeviceFacts Simulated(int seed, int index)
    {
        var random = new Random(unchecked(seed * 7919 + index));
        var cpuOnly = random.Next(5) == 0;
        var (country, city) = Places[random.Next(Places.Length)];
        return new DeviceFacts(
            cpuOnly ? null : Gpus[random.Next(Gpus.Length)], cpuOnly ? 0 : Counts[random.Next(Counts.Length)],
            Cpus[random.Next(Cpus.Length)], 16 << random.Next(6), country, city, Tiers[random.Next(Tiers.Length)], "Standard");
    }

    /// <summary>This machine's RAM in GiB (at least 1), the default a real device declares.</summary>
    public static int MachineRamGiB() => (int)Math.Max(1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 30);
}
