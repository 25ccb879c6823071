using System.Text.Json;
using IoNet.Solana.Keys;

namespace IoNet.Worker.Home;

/// <summary>
/// The worker's folder: the wallet's keypair (wallet.json, Solana CLI format), one keypair per device
/// (devices/device-N.json) and state.json (which device ids the marketplace gave them).
/// </summary>
public sealed class WorkerHome(string folder, string? walletFile = null)
{
    public const string Variable = "IONET_WORKER_HOME";

    public string Folder { get; } = Path.GetFullPath(folder);

    public string WalletFile { get; } = Path.GetFullPath(walletFile ?? Path.Combine(folder, "wallet.json"));

    public string StateFile => Path.Combine(Folder, "state.json");

    public static string DefaultFolder() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ionet", "worker");

    public string DeviceKeyFile(int index) => Path.Combine(Folder, "devices", $"device-{index}.json");

    /// <summary>Loads the keypair at <paramref name="path"/>, or creates it (owner-only permissions) when <paramref name="create"/>; (keypair, created).</summary>
    public static (Keypair Keypair, bool Created) LoadOrCreate(string path, bool create)
    {
        if (File.Exists(path))
            return (Keypair.Load(path), false);
        if (!create)
            throw new WorkerException($"{path} does not exist: run 'init' first.");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var keypair = Keypair.Generate();
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(file))
            writer.Write(keypair.ToJson());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (keypair, true);
    }

    public WorkerState LoadState() =>
        File.Exists(StateFile)
            ? JsonSerializer.Deserialize(File.ReadAllText(StateFile), WorkerJson.Default.WorkerState) ?? new WorkerState()
            : new WorkerState();

    /// <summary>Writes the state through a temporary file, so a crash leaves the old or the new one.</summary>
    public void SaveState(WorkerState state)
    {
        Directory.CreateDirectory(Folder);
        var temporary = StateFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, WorkerJson.Default.WorkerState));
        File.Move(temporary, StateFile, overwrite: true);
    }
}

/// <summary>What the marketplace answered for the devices of this folder.</summary>
public sealed class WorkerState
{
    public string? Api { get; set; }
    public string? Wallet { get; set; }
    public List<RegisteredDevice> Devices { get; set; } = [];

    public RegisteredDevice? Device(int index) => Devices.FirstOrDefault(d => d.Index == index);
}

public sealed class RegisteredDevice
{
    public int Index { get; set; }
    public Guid Id { get; set; }
    public string DeviceKey { get; set; } = "";
    public string GpuModel { get; set; } = "";
    public int GpuCount { get; set; }
    public string CpuClass { get; set; } = "";
    public string Country { get; set; } = "";
}

/// <summary>An error the operator can fix (missing files, a refused request): one line on stderr, exit code 1.</summary>
public sealed class WorkerException(string message) : Exception(message);
