using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.TestSupport;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace IoNet.ExplorerGraphQL.Tests.Support;

/// <summary>
/// A class fixture: a scripted economy on its own localnet, the real indexer process following it into a PostgreSQL
/// schema (async daemon, as in production), and the explorer on a real loopback port (Kestrel) reading that schema.
/// </summary>
public sealed class ExplorerEconomy : IAsyncLifetime
{
    /// <summary>The collection of the test classes that share one economy (one localnet, one indexer), run one after the other.</summary>
    public const string Collection = "explorer economy";

    public LocalnetChain Chain { get; } = new();

    public PostgresSchema Schema { get; } = new();

    public EconomyModel Model { get; private set; } = null!;

    public ChildProcess Indexer { get; private set; } = null!;

    public WebApplicationFactory<Program> Explorer { get; private set; } = null!;

    public int Port { get; } = LoopbackPorts.Free();

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>Marten over the same schema, to read the projections the explorer must agree with (no daemon here).</summary>
    public DocumentStore Store { get; private set; } = null!;

    public GraphQLClient GraphQL { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Chain.InitializeAsync();
        await Schema.InitializeAsync();
        Model = await new EconomyScript(Chain, new EconomyOptions { Operations = 150 }).RunAsync();
        Indexer = ChildProcess.Indexer(Chain, Schema.ConnectionString, Schema.Name);
        Store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, Schema.ConnectionString, Schema.Name);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
        });
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("IONET_DB", Schema.ConnectionString)
            .UseSetting("Explorer:Schema", Schema.Name)
            .UseSetting("Explorer:AddressFile", Chain.Process.AddressesFile)
            .UseSetting("Explorer:PollInterval", "00:00:00.100")
            // Correctness is tested here, not speed: a loaded 2-core CI machine must not time a request out.
            .UseSetting("Explorer:Limits:Timeout", "00:01:00")
            .UseUrls(BaseUrl.ToString()));
        factory.UseKestrel();
        factory.StartServer();
        Explorer = factory;
        GraphQL = new GraphQLClient(new HttpClient { BaseAddress = BaseUrl });
        await CaughtUpAsync(CancellationToken.None);
    }

    /// <summary>
    /// Waits until the indexer has every transaction (each source's backfill done, the Ledger's supply equal to
    /// getTokenSupply) and the daemon has projected every stored event.
    /// </summary>
    public async Task CaughtUpAsync(CancellationToken ct)
    {
        var net = Chain.Network;
        string last = "";
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(Schema.ConnectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand($"""
                    select (select count(*) from "{Schema.Name}".mt_doc_sourcecheckpoint where (data->>'BackfillDone')::boolean),
                           (select count(*) from "{Schema.Name}".mt_doc_sourcecheckpoint),
                           (select coalesce(max(seq_id), 0) from "{Schema.Name}".mt_events),
                           (select coalesce(min(last_seq_id), -1) from "{Schema.Name}".mt_event_progression where name like '%:%'),
                           (select count(*) from "{Schema.Name}".mt_event_progression where name like '%:%')
                    """, connection);
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                var (done, sources, stored, projected, projections) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
                await reader.DisposeAsync();
                last = $"backfill done {done}/{sources}, stored {stored}, projected {projected} ({projections} projections)";
                if (sources > 0 && done == sources && projections >= 6 && projected >= stored && stored > 0)
                {
                    await using var q = Store.QuerySession();
                    var io = await q.LoadAsync<TokenSupply>(net.Io.Address.ToString(), ct);
                    var iosd = await q.LoadAsync<TokenSupply>(net.Iosd.Address.ToString(), ct);
                    if (io?.Circulating == await Supply(net.Io.Address.ToString(), ct) && iosd?.Circulating == await Supply(net.Iosd.Address.ToString(), ct))
                        return;
                    last += $", supply io {io?.Circulating} iosd {iosd?.Circulating}";
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                last = "tables not created yet";
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"the indexer did not catch up: {last}; progression: {await ProgressionAsync(ct)}\n{Indexer.Output}");
    }

    private async Task<string> ProgressionAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Schema.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select string_agg(name || '=' || last_seq_id, ', ') from \"{Schema.Name}\".mt_event_progression", connection);
        return (await command.ExecuteScalarAsync(ct))?.ToString() ?? "";
    }

    public async Task<ulong> Supply(string mint, CancellationToken ct) =>
        (await Chain.Rpc.GetTokenSupplyAsync(mint, cancellationToken: ct)).Value.BaseUnits;

    public async ValueTask DisposeAsync()
    {
        GraphQL?.Http.Dispose();
        if (Explorer is not null)
            await Explorer.DisposeAsync();
        if (Indexer is not null)
            await Indexer.DisposeAsync();
        Store?.Dispose();
        await Schema.DisposeAsync();
        await Chain.DisposeAsync();
    }
}

[CollectionDefinition(ExplorerEconomy.Collection)]
public sealed class ExplorerEconomyCollection : ICollectionFixture<ExplorerEconomy>;
