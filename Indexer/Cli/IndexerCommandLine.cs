using System.CommandLine;
using System.CommandLine.Help;
using IoNet.Ledger.Store;
using Npgsql;

namespace IoNet.Indexer.Cli;

/// <summary>
/// What the command line asked for: the command, <c>--json</c>, the flags as configuration keys (they win over
/// everything else) and the <c>--Section:Key=value</c> overrides, passed to the host's command-line configuration.
/// </summary>
public sealed record IndexerInvocation(
    string Command,
    bool Json,
    IReadOnlyDictionary<string, string?> Flags,
    IReadOnlyList<string> ConfigurationArgs);

/// <summary>The indexer's commands and flags (System.CommandLine): usage on --help, one line and exit 2 for anything it refuses.</summary>
public static class IndexerCommandLine
{
    public const string Name = "ionet indexer";

    /// <summary>The exit code of a refused command line.</summary>
    public const int UsageExit = 2;

    /// <summary>Sections a --Section:Key=value override may name; the keys inside Indexer are checked when the settings are bound.</summary>
    private static readonly string[] OverridableSections = ["Indexer", "ConnectionStrings", "Logging"];

    /// <summary>
    /// Parses <paramref name="args"/>. Returns the invocation to run, or null with the exit code when the line was
    /// answered here: usage printed for --help (0), or one line on <paramref name="error"/> for a refused line (2).
    /// </summary>
    public static (IndexerInvocation? Invocation, int Exit) Parse(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Build(out var options);
        var overrides = new List<string>();
        var rest = new List<string>();
        foreach (var arg in args)
        {
            switch (Override(arg, options.Names))
            {
                case { Error: { } message }:
                    error.WriteLine($"{Name}: {message}");
                    return (null, UsageExit);
                case { Override: { } setting }:
                    overrides.Add(setting);
                    break;
                default:
                    rest.Add(arg);
                    break;
            }
        }

        var result = root.Parse(rest);
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (result.Errors.Count > 0)
        {
            error.WriteLine($"{Name}: {OneLine(result.Errors[0].Message)} See '{HelpPath(result)} --help'.");
            return (null, UsageExit);
        }
        if (result.Action is not CommandAction)
            return (null, result.Invoke(invocation)); // --help, --version

        var command = result.CommandResult.Command == root ? "follow" : result.CommandResult.Command.Name;
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (result.GetValue(options.Rpc) is { } rpc)
            flags["Indexer:RpcUrl"] = rpc;
        if (result.GetValue(options.Addresses) is { } addresses)
            flags["Indexer:AddressFile"] = Path.GetFullPath(addresses);
        if (result.GetValue(options.Db) is { } db)
            flags[LedgerStore.ConnectionVariable] = db;
        if (result.GetValue(options.Urls) is { } urls)
            flags["urls"] = urls;
        var json = result.GetValue(options.StatusJson) || result.GetValue(options.ReportJson);
        return (new IndexerInvocation(command, json, flags, overrides), 0);
    }

    private sealed record Options(Option<string> Rpc, Option<string> Addresses, Option<string> Db, Option<string> Urls,
        Option<bool> StatusJson, Option<bool> ReportJson)
    {
        public string[] Names => [Rpc.Name, Addresses.Name, Db.Name, Urls.Name, StatusJson.Name, "--help", "--version"];
    }

    private static RootCommand Build(out Options options)
    {
        var rpc = new Option<string>("--rpc")
        {
            HelpName = "url", Recursive = true,
            Description = "The node's JSON-RPC URL (Indexer:RpcUrl, default http://127.0.0.1:8899); its websocket is the port + 1 unless Indexer:WebsocketUrl is set.",
        };
        rpc.Validators.Add(r => Check(r, "--rpc", IsHttpUrl, "is not an http(s) URL"));
        var addresses = new Option<string>("--addresses")
        {
            HelpName = "file", Recursive = true,
            Description = "localnet's addresses.json, whose mints and vaults are tracked (Indexer:AddressFile, default .data/ledger/addresses.json).",
        };
        addresses.Validators.Add(r => Check(r, "--addresses", File.Exists, "is not a file"));
        var db = new Option<string>("--db")
        {
            HelpName = "connection string", Recursive = true,
            Description = "Npgsql connection string of the Ledger's database (default: IONET_DB, then ConnectionStrings:Ledger).",
        };
        db.Validators.Add(r => Check(r, "--db", IsConnectionString, "is not an Npgsql connection string (Host=...;Port=...;Username=...;Database=...)"));
        var urls = new Option<string>("--urls")
        {
            HelpName = "urls",
            Description = "Where /health and /metrics listen, ';'-separated (default: ASPNETCORE_URLS, else http://localhost:5000).",
        };
        urls.Validators.Add(r => Check(r, "--urls", v => v.Split(';', StringSplitOptions.RemoveEmptyEntries).All(IsListenUrl), "is not a list of http(s) URLs"));
        var statusJson = new Option<bool>("--json") { Description = "One JSON object: the settings used, the chain's slot and every source's checkpoint." };
        var reportJson = new Option<bool>("--json") { Description = "One JSON object; amounts as strings of base units." };
        options = new Options(rpc, addresses, db, urls, statusJson, reportJson);

        var follow = new Command("follow", "Backfill, then follow the chain (websocket wake-ups, and polling every Indexer:PollInterval); serves /health and /metrics until stopped. The default command.")
        {
            urls,
        };
        var backfill = new Command("backfill", "One pass over every tracked source, then waits for the projections; ends with 'backfill done: N transactions in S s'.");
        var status = new Command("status", "Per source: backfill state, newest slot, transactions seen; and the chain's slot. Full addresses when not on a terminal.")
        {
            statusJson,
        };
        var verify = new Command("verify", "The Ledger's projections against the chain (getTokenSupply per mint, vault balances); exit 1 on any difference.");
        var report = new Command("report", "Per mint minted / burned / supply, per vault balance, per wallet rewards.") { reportJson };
        var root = new RootCommand(
            "IoNet's indexer: the chain into the Ledger's event history in PostgreSQL. Without a command it runs follow. "
            + "Any setting of appsettings.json can also be given as --Section:Key=value (e.g. --Indexer:PageSize=100) or as "
            + "Section__Key=value in the environment; the flags win over both.")
        {
            rpc, addresses, db, urls, follow, backfill, status, verify, report,
        };
        root.HelpName = Name;
        foreach (var command in new[] { root, follow, backfill, status, verify, report })
            command.Action = new CommandAction();
        return root;
    }

    /// <summary>Marks a command as runnable; Program runs it (the hosts differ per command).</summary>
    private sealed class CommandAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult) => 0;
    }

    /// <summary>A --Section:Key=value configuration override (ASP.NET's command-line syntax), an error, or neither.</summary>
    private static (string? Override, string? Error) Override(string arg, string[] optionNames)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
            return default;
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? arg[2..] : arg[2..equals];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || optionNames.Contains($"--{name[..colon]}", StringComparer.Ordinal))
            return default; // a flag, or a flag's --flag:value form
        if (!OverridableSections.Contains(name[..colon], StringComparer.OrdinalIgnoreCase))
            return (null, $"unknown setting '--{name}': settings are --{string.Join(":Key=value, --", OverridableSections)}:Key=value (see --help).");
        if (equals < 0)
            return (null, $"the setting '--{name}' needs a value: --{name}=value.");
        return (arg, null);
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, string flag, Func<string, bool> valid, string problem)
    {
        if (result.Tokens.Count == 1 && !valid(result.Tokens[0].Value))
            result.AddError($"{flag} '{result.Tokens[0].Value}' {problem}.");
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    // Kestrel also takes http://*:5000 and http://+:5000, which Uri does not parse.
    private static bool IsListenUrl(string value) =>
        (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && value.Length > value.IndexOf("://", StringComparison.Ordinal) + 3;

    private static bool IsConnectionString(string value)
    {
        try
        {
            return !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(value).Host);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string HelpPath(ParseResult result)
    {
        var names = new List<string>();
        for (var command = result.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(command.Parent is null ? Name : command.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
