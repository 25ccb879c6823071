using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Gpu;
using IoNet.Suppliers.ProofOfWork;
using IoNet.Worker.Agent;
using IoNet.Worker.Api;
using IoNet.Worker.Home;
using Spectre.Console;

namespace IoNet.Worker.Cli;

/// <summary>The worker's commands (System.CommandLine): usage on --help, one line and exit 2 for a refused command line, one line and exit 1 for a failure.</summary>
public static class WorkerCommandLine
{
    public const string Name = "ionet worker";
    public const int UsageExit = 2;
    public const int FailureExit = 1;

    private static readonly string[] Tiers = ["Low", "Medium", "High", "Ultra"];
    private static readonly string[] SecurityTiers = ["Standard", "EndToEndEncrypted", "Soc2"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = Build(output);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            var command = string.Join(' ', result.CommandResult.Command.Name == root.Name ? [Name] : [Name, result.CommandResult.Command.Name]);
            await error.WriteLineAsync($"{Name}: {result.Errors[0].Message.ReplaceLineEndings(" ")} See '{command} --help'.");
            return UsageExit;
        }
        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (e is WorkerException or MarketplaceRefusal or HttpRequestException or SolanaException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{Name}: {e.Message.ReplaceLineEndings(" ")}");
            return FailureExit;
        }
    }

    private static RootCommand Build(TextWriter output)
    {
        var api = new Option<string>("--api")
        {
            HelpName = "url", Recursive = true,
            Description = "The marketplace's base URL (default http://127.0.0.1:$IONET_MARKETPLACE_PORT, else port 5080: what './ionet up' serves).",
            DefaultValueFactory = _ => "http://127.0.0.1:" + (Environment.GetEnvironmentVariable("IONET_MARKETPLACE_PORT") is { Length: > 0 } port ? port : "5080"),
        };
        api.Validators.Add(r => Check(r, api, v => Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https", "is not an http(s) URL"));
        var home = new Option<string>("--home")
        {
            HelpName = "folder", Recursive = true,
            Description = $"Where the keypairs and state.json are kept (default ${WorkerHome.Variable}, else ~/.ionet/worker).",
            DefaultValueFactory = _ => WorkerHome.DefaultFolder(),
        };
        var wallet = new Option<string?>("--wallet")
        {
            HelpName = "file", Recursive = true,
            Description = "The owner wallet's keypair file, Solana CLI format (default: wallet.json in the home folder).",
        };
        var devices = new Option<int>("--devices")
        {
            HelpName = "N", Recursive = true, DefaultValueFactory = _ => 1,
            Description = "Work as N devices in one process, each with its own keypair (simulated facts when N > 1): demos and load.",
        };
        devices.Validators.Add(r => Check(r, devices, v => v is >= 1 and <= 100_000, "must be between 1 and 100000"));
        var seed = new Option<int>("--seed")
        {
            HelpName = "number", Recursive = true, DefaultValueFactory = _ => 1,
            Description = "Seed of the simulated devices' declared facts (the same seed, the same facts).",
        };

        var root = new RootCommand("IoNet worker: the supplier's agent. Creates keys, signs in, registers devices, heartbeats, answers proofs of work.")
        {
            api, home, wallet, devices, seed,
        };
        root.Subcommands.Add(Init(home, wallet, devices, output));
        root.Subcommands.Add(Register(api, home, wallet, devices, seed, output));
        root.Subcommands.Add(Run(api, home, wallet, devices, output));
        root.Subcommands.Add(Status(api, home, wallet, devices, output));
        root.Subcommands.Add(Stake(api, home, wallet, devices, output));
        return root;
    }

    private static Command Init(Option<string> home, Option<string?> wallet, Option<int> devices, TextWriter output)
    {
        var command = new Command("init", "Creates (or loads) the wallet keypair and one keypair per device; prints their addresses.");
        command.SetAction(r =>
        {
            var folder = new WorkerHome(r.GetValue(home)!, r.GetValue(wallet));
            var table = new Table().AddColumns("Key", "Address", "File", "");
            var (walletKey, walletCreated) = WorkerHome.LoadOrCreate(folder.WalletFile, create: true);
            using (walletKey)
                table.AddRow("wallet", walletKey.PublicKey.ToString(), folder.WalletFile, walletCreated ? "created" : "loaded");
            for (var i = 0; i < r.GetValue(devices); i++)
            {
                var (key, created) = WorkerHome.LoadOrCreate(folder.DeviceKeyFile(i), create: true);
                using (key)
                {
                    if (i < 20)
                        table.AddRow($"device {i}", key.PublicKey.ToString(), folder.DeviceKeyFile(i), created ? "created" : "loaded");
                }
            }
            Console(output).Write(table);
            return 0;
        });
        return command;
    }

    private static Command Register(Option<string> api, Option<string> home, Option<string?> wallet, Option<int> devices, Option<int> seed, TextWriter output)
    {
        var gpuModel = new Option<string?>("--gpu-model") { HelpName = "id", Description = "GPU model (a catalogue id of GET /api/hardware, e.g. H100); leave out for a CPU-only device." };
        var gpuCount = new Option<int?>("--gpu-count") { HelpName = "N", Description = "GPUs of that model (default 1 with --gpu-model, else 0)." };
        gpuCount.Validators.Add(x => Check(x, gpuCount, v => v is null or (>= 0 and <= 16), "must be between 0 and 16"));
        var cpu = new Option<string>("--cpu") { HelpName = "id", DefaultValueFactory = _ => "X86-GENERIC", Description = "CPU class (a catalogue id, e.g. EPYC-9654)." };
        var ram = new Option<int?>("--ram") { HelpName = "GiB", Description = "RAM in GiB (default: this machine's)." };
        ram.Validators.Add(x => Check(x, ram, v => v is null or (>= 1 and <= 65536), "must be between 1 and 65536"));
        var country = new Option<string>("--country") { HelpName = "code", DefaultValueFactory = _ => "DE", Description = "ISO 3166-1 alpha-2 country code (DE, US, JP)." };
        country.Validators.Add(x => Check(x, country, v => v.Length == 2 && v.All(char.IsAsciiLetterUpper), "must be two upper-case letters"));
        var city = new Option<string>("--city") { HelpName = "name", DefaultValueFactory = _ => "Berlin", Description = "City." };
        var connectivity = new Option<string>("--connectivity") { HelpName = "tier", DefaultValueFactory = _ => "Medium", Description = "Connectivity tier: Low, Medium, High or Ultra." };
        connectivity.AcceptOnlyFromAmong(Tiers);
        var security = new Option<string>("--security") { HelpName = "tier", DefaultValueFactory = _ => "Standard", Description = "Security tier: Standard, EndToEndEncrypted or Soc2." };
        security.AcceptOnlyFromAmong(SecurityTiers);
        var command = new Command("register", "Signs in as the wallet (Sign-In With Solana), registers each device with its declared facts and sets its key. With --devices N > 1 the facts are simulated from --seed.")
        {
            gpuModel, gpuCount, cpu, ram, country, city, connectivity, security,
        };
        command.SetAction(async (r, ct) =>
        {
            var folder = new WorkerHome(r.GetValue(home)!, r.GetValue(wallet));
            var count = r.GetValue(devices);
            var declared = new DeviceFacts(r.GetValue(gpuModel), r.GetValue(gpuCount) ?? (r.GetValue(gpuModel) is null ? 0 : 1), r.GetValue(cpu)!,
                r.GetValue(ram) ?? DeviceFacts.MachineRamGiB(), r.GetValue(country)!, r.GetValue(city)!, r.GetValue(connectivity)!, r.GetValue(security)!);
            var (walletKey, _) = WorkerHome.LoadOrCreate(folder.WalletFile, create: false);
            using var client = MarketplaceClient.Create(r.GetValue(api)!, walletKey);
            var state = folder.LoadState();
            if (state.Wallet is { } owner && owner != walletKey.PublicKey.ToString())
                throw new WorkerException($"{folder.StateFile} belongs to wallet {owner}, not {walletKey.PublicKey}: use another --home.");
            state.Api = r.GetValue(api);
            state.Wallet = walletKey.PublicKey.ToString();
            var table = new Table().AddColumns("#", "Device", "GPU", "CPU", "Place", "Tier", "");
            var ui = Console(output);
            async Task RegisterAllAsync(Action step)
            {
                for (var i = 0; i < count; i++, step())
                {
                    var (key, _) = WorkerHome.LoadOrCreate(folder.DeviceKeyFile(i), create: true);
                    using (key)
                    {
                        var facts = count > 1 ? DeviceFacts.Simulated(r.GetValue(seed), i) : declared;
                        var known = state.Device(i);
                        var already = known is not null && known.DeviceKey == key.PublicKey.ToString();
                        if (!already)
                        {
                            var id = await client.RegisterAsync(facts, key.PublicKey, ct);
                            await client.SetDeviceKeyAsync(id, key.PublicKey, ct);
                            state.Devices.RemoveAll(d => d.Index == i);
                            known = new RegisteredDevice
                            {
                                Index = i, Id = id, DeviceKey = key.PublicKey.ToString(), GpuModel = facts.GpuModel ?? "", GpuCount = facts.GpuCount,
                                CpuClass = facts.CpuClass, Country = facts.Country,
                            };
                            state.Devices.Add(known);
                            state.Devices.Sort((a, b) => a.Index.CompareTo(b.Index));
                            folder.SaveState(state);
                        }
                        if (i < 50)
                            table.AddRow($"{i}", known!.Id.ToString(), known.GpuCount == 0 ? "cpu only" : $"{known.GpuCount} × {known.GpuModel}",
                                known.CpuClass, $"{facts.City}, {facts.Country}", facts.Connectivity, already ? "already registered" : "registered");
                    }
                }
            }
            if (ui.Profile.Capabilities.Interactive && count > 1)
            {
                await ui.Progress().AutoClear(true).StartAsync(async progress =>
                {
                    var task = progress.AddTask("registering", maxValue: count);
                    await RegisterAllAsync(() => task.Increment(1));
                });
            }
            else
            {
                await RegisterAllAsync(() => { });
            }
            ui.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Run(Option<string> api, Option<string> home, Option<string?> wallet, Option<int> devices, TextWriter output)
    {
        var gpu = new Option<bool>("--gpu") { Description = "Solve proofs of work with ILGPU on the first CUDA/OpenCL GPU (ILGPU's CPU accelerator when there is none)." };
        var interval = new Option<double?>("--interval") { HelpName = "seconds", Description = "Seconds between heartbeats (default: the marketplace's Marketplace:Uptime:HeartbeatInterval)." };
        interval.Validators.Add(x => Check(x, interval, v => v is null or (> 0 and <= 86_400), "must be between 0 and 86400 seconds"));
        var proveEvery = new Option<double>("--prove-every") { HelpName = "hours", DefaultValueFactory = _ => 12, Description = "Hours between proofs of work (a proof keeps a device eligible for a day)." };
        proveEvery.Validators.Add(x => Check(x, proveEvery, v => v is > 0 and <= 24 * 30, "must be between 0 and 720 hours"));
        var maxBackoff = new Option<double>("--max-backoff") { HelpName = "seconds", DefaultValueFactory = _ => 30, Description = "Longest wait before retrying after an error (waits double from 1 s)." };
        maxBackoff.Validators.Add(x => Check(x, maxBackoff, v => v is >= 1 and <= 3600, "must be between 1 and 3600 seconds"));
        var command = new Command("run", "Heartbeats every interval and answers proofs of work for the registered devices until stopped (Ctrl+C); reconnects with backoff.")
        {
            gpu, interval, proveEvery, maxBackoff,
        };
        command.SetAction(async (r, ct) =>
        {
            var folder = new WorkerHome(r.GetValue(home)!, r.GetValue(wallet));
            var count = r.GetValue(devices);
            var state = folder.LoadState();
            var registered = state.Devices.Where(d => d.Index < count).ToList();
            if (registered.Count == 0)
                throw new WorkerException($"No device is registered in {folder.Folder}: run 'register' first.");
            var (walletKey, _) = WorkerHome.LoadOrCreate(folder.WalletFile, create: false);
            using var client = MarketplaceClient.Create(r.GetValue(api)!, walletKey);
            var log = new AgentLog(output);
            using var solver = Solver(r.GetValue(gpu), log);
            using var gate = new SemaphoreSlim(1, 1);
            var options = new AgentOptions(r.GetValue(interval) is { } s ? TimeSpan.FromSeconds(s) : null,
                TimeSpan.FromHours(r.GetValue(proveEvery)), TimeSpan.FromSeconds(r.GetValue(maxBackoff)));
            log.Line($"running {registered.Count} device{(registered.Count == 1 ? "" : "s")} against {client.BaseAddress} ({((IMatrixProductSolver)solver).Name})");
            var keys = registered.Select(d => WorkerHome.LoadOrCreate(folder.DeviceKeyFile(d.Index), create: false).Keypair).ToList();
            try
            {
                await Task.WhenAll(registered.Select((d, i) => new DeviceAgent(client, d, keys[i], options, solver, gate, log).RunAsync(ct)));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                log.Line("stopped");
            }
            finally
            {
                foreach (var key in keys)
                    key.Dispose();
            }
            return 0;
        });
        return command;
    }

    private static DisposableSolver Solver(bool gpu, AgentLog log)
    {
        if (!gpu)
            return new DisposableSolver(new CpuMatrixSolver(), null);
        var found = IlgpuMatrixSolver.TryCreateForGpu();
        if (found is null)
            log.Line("no CUDA or OpenCL GPU found: using ILGPU's CPU accelerator");
        var solver = found ?? IlgpuMatrixSolver.CreateForCpuAccelerator();
        // The kernel compiles on first use: do that now, not against a challenge's deadline.
        solver.Multiply(Suppliers.Bytes32.Random(), 32);
        return new DisposableSolver(solver, solver);
    }

    private sealed class DisposableSolver(IMatrixProductSolver solver, IDisposable? owned) : IMatrixProductSolver, IDisposable
    {
        public string Name => solver.Name;

        public Suppliers.ProofOfWork.ProductMatrix Multiply(Suppliers.Bytes32 seed, int n, CancellationToken cancellationToken = default) =>
            solver.Multiply(seed, n, cancellationToken);

        public void Dispose() => owned?.Dispose();
    }

    private static Command Stake(Option<string> api, Option<string> home, Option<string?> wallet, Option<int> devices, TextWriter output)
    {
        var amount = new Option<ulong?>("--amount")
        {
            HelpName = "base units", Description = "IO base units (8 decimals) to stake per device; default: what each device still lacks of its required stake.",
        };
        amount.Validators.Add(x => Check(x, amount, v => v is null or > 0, "must be positive"));
        var rpc = new Option<string>("--rpc")
        {
            HelpName = "url", DefaultValueFactory = _ => "http://127.0.0.1:8899", Description = "The Solana node's JSON-RPC URL the signed transactions are sent to.",
        };
        rpc.Validators.Add(x => Check(x, rpc, v => Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https", "is not an http(s) URL"));
        var command = new Command("stake", "Stakes IO for each device: asks the marketplace for the Stake transaction, signs it with the wallet and sends it.")
        {
            amount, rpc,
        };
        command.SetAction(async (r, ct) =>
        {
            var folder = new WorkerHome(r.GetValue(home)!, r.GetValue(wallet));
            var registered = folder.LoadState().Devices.Where(d => d.Index < r.GetValue(devices)).ToList();
            if (registered.Count == 0)
                throw new WorkerException($"No device is registered in {folder.Folder}: run 'register' first.");
            var (walletKey, _) = WorkerHome.LoadOrCreate(folder.WalletFile, create: false);
            using var client = MarketplaceClient.Create(r.GetValue(api)!, walletKey);
            using var node = new IoNet.Solana.Rpc.SolanaRpcClient(r.GetValue(rpc)!);
            var table = new Table().AddColumns("#", "Device", "Staked", "Required", "Amount", "Signature");
            foreach (var d in registered)
            {
                var stake = await client.StakeAsync(d.Id, ct);
                var staked = stake.GetProperty("staked").GetUInt64();
                var required = stake.GetProperty("required").GetUInt64();
                var wanted = r.GetValue(amount) ?? (required > staked ? required - staked : 0);
                var signature = "nothing to stake";
                if (wanted > 0)
                {
                    var answer = await client.StakeTransactionAsync(d.Id, wanted, ct);
                    var signed = IoNet.Solana.Transactions.Transaction.FromBase64(answer.GetProperty("transaction").GetString()!).Sign(walletKey).Serialize();
                    signature = await node.SendTransactionAsync(signed, cancellationToken: ct);
                }
                table.AddRow($"{d.Index}", d.Id.ToString(), $"{staked}", $"{required}", $"{wanted}", signature);
            }
            Console(output).Write(table);
            return 0;
        });
        return command;
    }

    private static Command Status(Option<string> api, Option<string> home, Option<string?> wallet, Option<int> devices, TextWriter output)
    {
        var command = new Command("status", "Each registered device's status, eligibility, uptime, last beat and last proof of work, as a table.");
        command.SetAction(async (r, ct) =>
        {
            var folder = new WorkerHome(r.GetValue(home)!, r.GetValue(wallet));
            var state = folder.LoadState();
            var registered = state.Devices.Where(d => d.Index < r.GetValue(devices)).ToList();
            if (registered.Count == 0)
                throw new WorkerException($"No device is registered in {folder.Folder}: run 'register' first.");
            // status reads public views only: the client never signs in, so its wallet is a throwaway.
            using var nobody = Keypair.Generate();
            using var client = MarketplaceClient.Create(r.GetValue(api)!, nobody);
            var table = new Table().AddColumns("#", "Device", "GPU", "Status", "Eligible", "Uptime", "Last beat", "Green 24 h", "Gaps", "Last proof", "Staked / required (IO base units)");
            foreach (var d in registered.Take(200))
            {
                var device = await client.DeviceAsync(d.Id, ct);
                var uptime = await client.UptimeAsync(d.Id, ct);
                var proof = await client.ProofStandingAsync(d.Id, ct);
                var stake = await StakeOrNullAsync(client, d.Id, ct);
                var eligibility = device.GetProperty("eligibility");
                var eligible = eligibility.GetProperty("eligible").GetBoolean()
                    ? "yes" : "no: " + string.Join(" ", eligibility.GetProperty("reasons").EnumerateArray().Select(x => x.GetString()));
                var lastBeat = uptime.GetProperty("lastBeat") is { ValueKind: System.Text.Json.JsonValueKind.String } b ? $"{b.GetDateTimeOffset():u}" : "never";
                var lastProof = proof.GetProperty("lastOutcome") is { ValueKind: System.Text.Json.JsonValueKind.String } o ? o.GetString()! : "none";
                if (proof.GetProperty("lastVerifiedAt") is { ValueKind: System.Text.Json.JsonValueKind.String } verified)
                    lastProof += $" (verified {verified.GetDateTimeOffset():u})";
                table.AddRow(
                    Markup.Escape(d.Index.ToString(CultureInfo.InvariantCulture)), Markup.Escape(d.Id.ToString()),
                    Markup.Escape(d.GpuCount == 0 ? "cpu only" : $"{d.GpuCount} × {d.GpuModel}"),
                    Markup.Escape(device.GetProperty("status").GetString()!), Markup.Escape(eligible),
                    Markup.Escape(uptime.GetProperty("status").GetString()!), Markup.Escape(lastBeat),
                    Markup.Escape(TimeSpan.FromSeconds(uptime.GetProperty("greenSecondsLast24Hours").GetInt64()).ToString("c", CultureInfo.InvariantCulture)),
                    Markup.Escape(uptime.GetProperty("gaps").GetArrayLength().ToString(CultureInfo.InvariantCulture)), Markup.Escape(lastProof),
                    Markup.Escape(stake is { } st ? $"{st.GetProperty("staked").GetUInt64()} / {st.GetProperty("required").GetUInt64()}" : "unknown"));
            }
            Console(output).Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>Spectre's console on <paramref name="output"/>: colours and live progress on a terminal, plain wide text when redirected.</summary>
    /// <summary>GET stake, or null from a marketplace that does not offer it.</summary>
    private static async Task<System.Text.Json.JsonElement?> StakeOrNullAsync(MarketplaceClient client, Guid device, CancellationToken ct)
    {
        try
        {
            return await client.StakeAsync(device, ct);
        }
        catch (MarketplaceRefusal)
        {
            return null;
        }
    }

    private static IAnsiConsole Console(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = 240;
        return console;
    }

    private static void Check<T>(OptionResult result, Option<T> option, Func<T, bool> valid, string problem)
    {
        if (result.Tokens.Count == 0)
            return;
        var value = result.GetValueOrDefault<T>();
        if (!valid(value))
            result.AddError($"{option.Name} {Convert.ToString(value, CultureInfo.InvariantCulture)} {problem}.");
    }
}
