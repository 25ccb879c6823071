using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;
using Marten;
using Npgsql;

namespace IoNet.MarketplaceApi.Tests.Credits;

/// <summary>
/// Everything the credits desk works with, for real: a localnet whose block times follow the wall clock (quotes expire
/// by block time), a PostgreSQL schema, one indexer follower process writing the Ledger into it, and Marketplace.Api
/// processes (the built IoNet.Marketplace.Api.dll) started and killed by the tests on that schema.
/// </summary>
public class CreditsNetwork : IAsyncLifetime
{
    private readonly List<ServiceProcess> _processes = [];
    private IDocumentStore? _ledger;

    public CreditsNetwork() : this(400)
    {
    }

    protected CreditsNetwork(int blockTimeMs) =>
        Chain = new LocalnetChain { Process = new LocalnetProcess { Deterministic = false, BlockTimeMs = blockTimeMs } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public LocalnetChain Chain { get; }

    public PostgresSchema Schema { get; } = new();

    public ServiceProcess Indexer { get; private set; } = null!;

    /// <summary>The Ledger the indexer writes (read-only use in the tests).</summary>
    public IDocumentStore Ledger => _ledger ??= DocumentStore.For(o =>
    {
        LedgerStore.ApplyConventions(o, Schema.ConnectionString, Schema.Name);
        LedgerStore.AddChainEventTypes(o);
    });

    public async ValueTask InitializeAsync()
    {
        await Chain.InitializeAsync();
        await Schema.InitializeAsync();
        Indexer = await StartAsync("indexer", IndexerDll, ["follow", $"--Indexer:RpcUrl={Chain.Process.RpcUrl}", $"--Indexer:AddressFile={Chain.Process.AddressesFile}",
            $"--Indexer:Schema={Schema.Name}", "--Indexer:PollInterval=00:00:00.300", "--Indexer:LeaseTimeToLive=00:00:03", "--Indexer:Holder=credits-tests"]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
            await process.KillAsync();
        _ledger?.Dispose();
        await Schema.DisposeAsync();
        await Chain.DisposeAsync();
    }

    private static string Built(string project, string dll)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return RepoPaths.RepoFile(project, "bin", configuration, "net10.0", dll);
    }

    private static string IndexerDll => Built("Indexer", "IoNet.Indexer.dll");

    private static string ApiDll => Built("Marketplace.Api", "IoNet.Marketplace.Api.dll");

    /// <summary>
    /// A Marketplace.Api process on the shared schema, the localnet and the fixed rate <paramref name="rate"/>; returns
    /// once /health answers. <paramref name="settings"/> are more --Key=Value settings.
    /// </summary>
    public Task<ServiceProcess> StartApiAsync(string name, ulong rate = 800_000, params string[] settings) =>
        StartAsync(name, ApiDll, [
            $"--Marketplace:Schema={Schema.Name}", $"--Marketplace:Chain:RpcUrl={Chain.Process.RpcUrl}",
            $"--Marketplace:Chain:AddressFile={Chain.Process.AddressesFile}", $"--Marketplace:SignIn:TokenKey={MarketplaceApp.TokenKey}",
            $"--Marketplace:Rates:IoMicroUsd={rate}", "--Marketplace:Outbox:PollInterval=00:00:00.200", "--Marketplace:Outbox:ResendInterval=00:00:01",
            "--Marketplace:RateLimits:PerIp:Burst=100000", "--Marketplace:RateLimits:PerIp:PerMinute=100000",
            "--Marketplace:RateLimits:PerWallet:Burst=100000", "--Marketplace:RateLimits:PerWallet:PerMinute=100000",
            "--Marketplace:RateLimits:SignIn:Burst=100000", "--Marketplace:RateLimits:SignIn:PerMinute=100000",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft=Warning", "--Logging:LogLevel:Marten=Warning",
            .. settings]);

    private async Task<ServiceProcess> StartAsync(string name, string dll, IReadOnlyList<string> args)
    {
        var port = LoopbackPorts.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["IONET_DB"] = Schema.ConnectionString;
        var process = new ServiceProcess(name, Process.Start(info)!, port);
        lock (_processes)
            _processes.Add(process);
        await process.WaitHealthyAsync();
        return process;
    }

    /// <summary>A new wallet with SOL for fees and <paramref name="io"/> IO base units (a reward from the treasury).</summary>
    public async Task<Keypair> BuyerWithIoAsync(ulong io)
    {
        var wallet = await Chain.NewWalletAsync(ct: Ct);
        using var treasury = Chain.Authority("treasury");
        await Chain.ExecuteAsync(treasury, IoNetFlows.PayReward(treasury.PublicKey, Chain.Network.Io, wallet.PublicKey, 0, Guid.NewGuid(), io), [treasury], Ct);
        return wallet;
    }

    /// <summary>Signs the wallet in (nonce, sign the server's message, verify) and returns a client that sends its token.</summary>
    public static async Task<HttpClient> SignedInAsync(ServiceProcess api, Keypair wallet)
    {
        var http = api.Client();
        var nonce = await MarketplaceApp.NonceAsync(http, wallet.PublicKey.ToString());
        var message = nonce.GetProperty("message").GetString()!;
        using var verify = await http.PostAsJsonAsync("/api/auth/verify",
            new { message, signature = wallet.Sign(Encoding.UTF8.GetBytes(message)).ToString() }, Ct);
        verify.EnsureSuccessStatusCode();
        var token = (await verify.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The wallet's own side of a transaction request: sign what the server built and send it; the burn's signature.</summary>
    public async Task<string> SignAndSendAsync(string base64, Keypair wallet)
    {
        var transaction = Transaction.FromBase64(base64).Sign(wallet);
        return await Chain.Rpc.SendTransactionAsync(transaction.Serialize(), cancellationToken: Ct);
    }

    /// <summary>A burn the wallet builds itself (any wallet may burn under a buy memo, naming a quote or none).</summary>
    public async Task<string> BurnAsync(Keypair wallet, ulong io, ulong memoRate, Guid? quote)
    {
        var response = await Chain.ExecuteAsync(wallet, IoNetFlows.BuyCredits(wallet.PublicKey, Chain.Network.Io, io, memoRate, quote), [wallet], Ct);
        response.Meta!.Err.ShouldBeNull();
        return response.Transaction!.Signatures![0];
    }

    /// <summary>
    /// Polls the purchase of <paramref name="burn"/> until its mint is Done; the guard only stops a hanging test (it is
    /// no speed check: a loaded machine is slow).
    /// </summary>
    public static async Task<JsonElement> WaitMintedAsync(ServiceProcess api, string burn)
    {
        using var http = api.Client();
        var guard = Stopwatch.StartNew();
        string last = "";
        while (guard.Elapsed < TimeSpan.FromMinutes(4))
        {
            using var response = await http.GetAsync($"/api/credits/purchases/{burn}", Ct);
            last = await response.Content.ReadAsStringAsync(Ct);
            if (response.IsSuccessStatusCode)
            {
                var purchase = JsonDocument.Parse(last).RootElement.Clone();
                if (purchase.GetProperty("mint").GetString() is "Done" or "NotMinted")
                    return purchase;
            }
            await Task.Delay(200, Ct);
        }
        throw new ShouldAssertException($"the mint for {burn} was not done: {last}\n--- api output:\n{api.Output}");
    }

    /// <summary>IOSD base units the wallet holds, read from the chain.</summary>
    public Task<ulong> IosdAsync(PublicKey wallet) => Chain.TokenBalanceAsync(Chain.Network.Iosd.AccountOf(wallet), Ct);

    /// <summary>Every CreditsPurchased the Ledger holds for a burn (exactly one when it was paid once).</summary>
    public async Task<IReadOnlyList<CreditsPurchased>> PurchasesInLedgerAsync(string burn)
    {
        await using var session = Ledger.QuerySession();
        return await session.Events.QueryRawEventDataOnly<CreditsPurchased>().Where(p => p.BurnSignature == burn).ToListAsync(Ct);
    }

    /// <summary>The IOSD mints the Ledger holds to the wallet's IOSD account.</summary>
    public async Task<IReadOnlyList<TokensMinted>> IosdMintsInLedgerAsync(PublicKey wallet)
    {
        var account = Chain.Network.Iosd.AccountOf(wallet).ToString();
        var mint = Chain.Network.Iosd.Address.ToString();
        await using var session = Ledger.QuerySession();
        return await session.Events.QueryRawEventDataOnly<TokensMinted>().Where(m => m.Account == account && m.Mint == mint).ToListAsync(Ct);
    }

    /// <summary>The outbox row of a burn's mint, read straight from PostgreSQL.</summary>
    public async Task<(int Attempt, string[] Signatures, long? LastValidBlockHeight, string State)> MintIntentAsync(string burn)
    {
        await using var connection = new NpgsqlConnection(Schema.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var select = new NpgsqlCommand(
            $"""SELECT attempt, signatures, last_valid_block_height, state FROM "{Schema.Name}".mkt_outbox WHERE key = @k""", connection);
        select.Parameters.AddWithValue("k", "credits:" + burn);
        await using var reader = await select.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue($"no outbox intent for {burn}");
        return (reader.GetInt32(0), reader.GetFieldValue<string[]>(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetString(3));
    }

    /// <summary>Whether the node has any status for the signature (landed or failed).</summary>
    public async Task<bool> LandedAsync(string signature) =>
        (await Chain.Rpc.GetSignatureStatusesAsync([signature], searchTransactionHistory: true, Ct)).Value[0] is not null;

    /// <summary>Waits until the chain's block time is past <paramref name="moment"/> (quotes expire by the burn's block time).</summary>
    public async Task WaitForBlockTimeAfterAsync(DateTimeOffset moment)
    {
        var guard = Stopwatch.StartNew();
        while (guard.Elapsed < TimeSpan.FromMinutes(2))
        {
            var slot = await Chain.Rpc.GetSlotAsync(cancellationToken: Ct);
            if ((await Chain.Rpc.GetBlockAsync(slot, rewards: false, cancellationToken: Ct))?.BlockTime is { } time && DateTimeOffset.FromUnixTimeSeconds(time) > moment)
                return;
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"the localnet's block time did not pass {moment:O}");
    }

    /// <summary>Waits until the finalized block height is past <paramref name="height"/> (a blockhash valid to it has expired).</summary>
    public async Task WaitForBlockHeightAfterAsync(ulong height)
    {
        var guard = Stopwatch.StartNew();
        while (await Chain.Rpc.GetBlockHeightAsync(Commitment.Finalized, Ct) <= height)
        {
            if (guard.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"the localnet's block height did not pass {height}");
            await Task.Delay(100, Ct);
        }
    }
}

/// <summary>The localnet at 50 ms blocks: a blockhash expires after 150 slots, about 7.5 s.</summary>
public sealed class FastCreditsNetwork() : CreditsNetwork(50);

/// <summary>A service process (Marketplace.Api or the indexer) and everything it printed.</summary>
public sealed class ServiceProcess(string name, Process process, int port)
{
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    public string Name { get; } = name;

    public Process Process { get; } = process;

    public int Port { get; } = port;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first line (printed before or after the call) that <paramref name="match"/> accepts.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var earlier = _output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
            if (earlier is not null)
                return earlier;
            _waiters.Add((match, seen));
        }
        var exited = Process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var guard = Task.Delay(TimeSpan.FromMinutes(4), TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(seen.Task, exited, guard);
        if (first != seen.Task)
            throw new ShouldAssertException($"{Name} {(first == exited ? "exited" : "never printed the line")}:\n{Output}");
        return await seen.Task;
    }

    internal async Task WaitHealthyAsync()
    {
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
        using var http = Client();
        // Polls /health until it answers or the process exits; the guard only stops a hanging test.
        var guard = Stopwatch.StartNew();
        while (!Process.HasExited && guard.Elapsed < TimeSpan.FromMinutes(5))
        {
            try
            {
                if ((await http.GetAsync("/health", TestContext.Current.CancellationToken)).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        await KillAsync();
        throw new TimeoutException($"{Name} {(Process.HasExited ? "exited" : "was not healthy")}:\n{Output}");
    }

    /// <summary>kill -9 (SIGKILL), and wait until it is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await Process.WaitForExitAsync(CancellationToken.None);
    }
}
