using System.Data.Common;
using IoNet.Ledger.Anchor;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using JasperFx;
using Marten;
using Npgsql;

namespace IoNet.Explorer.Reads;

/// <summary>
/// The explorer's one door to the Ledger: pooled connections, the schema's table names, and Marten's own event
/// aliases and JSON serializer (so events and projection documents read back exactly as Marten wrote them).
/// Read only: nothing here writes to the Ledger.
/// </summary>
public sealed class LedgerDb : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DocumentStore _store;
    private readonly Dictionary<string, Type> _eventTypes;
    private readonly Dictionary<Type, string> _aliases;

    public LedgerDb(string connectionString, string schema)
    {
        Schema = schema;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, connectionString, schema);
            LedgerStore.AddChainProjections(o);
            // The marketplace's events and read models (devices, rentals, market prices), in the same schema.
            LedgerStore.AddMarketplaceProjections(o);
            // The indexer owns the schema: the explorer never creates or alters a table.
            o.AutoCreateSchemaObjects = AutoCreate.None;
        });
        Serializer = _store.Options.Serializer();
        _aliases = EventTypes.ToDictionary(t => t, t => ((Marten.Events.EventGraph)_store.Options.Events).EventMappingFor(t).EventTypeName);
        _eventTypes = _aliases.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    /// <summary>Every chain event type the Ledger stores (LedgerStore.AddChainProjections registers the same).</summary>
    public static IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(TokensBurned), typeof(TokensMinted), typeof(FeesBurned), typeof(CreditsPurchased),
        typeof(RentalFunded), typeof(RentalSettled), typeof(RentalRefunded), typeof(RewardPaid),
        typeof(StakeDeposited), typeof(StakeWithdrawn), typeof(StakeSlashed), typeof(AnchorEventObserved),
        typeof(CreditsRequested), typeof(IoNet.Ledger.Vaults.VaultDeposited), typeof(IoNet.Ledger.Vaults.VaultWithdrawn), typeof(TransactionUnreadable),
    ];

    public string Schema { get; }

    /// <summary>
    /// The marketplace's tables that exist (the indexer alone never creates them): a read joins a table only once it is
    /// here, so a Ledger without a marketplace reads as before. Refreshed by <see cref="RefreshTablesAsync"/> (the feed's poll).
    /// </summary>
    public IReadOnlySet<string> MarketTables => _marketTables;

    private volatile IReadOnlySet<string> _marketTables = new HashSet<string>();

    /// <summary>The tables <see cref="MarketTables"/> looks for.</summary>
    public static IReadOnlyList<string> MarketTableNames { get; } =
    [
        "mt_doc_device", "mt_doc_rental", "mt_doc_marketprice", "mt_doc_marketbook",
        "mt_doc_deviceproofofwork", "mt_doc_proofofworkchallengerecord", "mt_doc_vaultbalance",
        "mt_doc_deviceearnings", "mt_doc_rentalescrow",
    ];

    public bool Has(string table) => _marketTables.Contains(table);

    /// <summary>Whether the document table of <typeparamref name="T"/> exists (see <see cref="MarketTables"/>).</summary>
    public bool Has<T>() => Has("mt_doc_" + typeof(T).Name.ToLowerInvariant());

    private int _refreshed;

    /// <summary>Looks at the tables once, if the feed has not yet (a request in the first moment of the process).</summary>
    public async ValueTask EnsureTablesKnownAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _refreshed) == 0)
            await RefreshTablesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Looks which of <see cref="MarketTableNames"/> exist (one cheap catalogue statement); true when that changed.</summary>
    public async Task<bool> RefreshTablesAsync(CancellationToken ct)
    {
        var found = await QueryAsync("select relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r' and relname::text = any($2)",
            p => { p.Add(new NpgsqlParameter { Value = Schema }); p.Add(new NpgsqlParameter { Value = MarketTableNames.ToArray() }); },
            r => r.GetString(0), ct).ConfigureAwait(false);
        Volatile.Write(ref _refreshed, 1);
        if (found.Count == _marketTables.Count && found.All(_marketTables.Contains))
            return false;
        _marketTables = found.ToHashSet(StringComparer.Ordinal);
        return true;
    }

    public ISerializer Serializer { get; }

    /// <summary>A table of the Ledger's schema, quoted: <c>Table("mt_events")</c>.</summary>
    public string Table(string name) => $"\"{Schema}\".{name}";

    /// <summary>Marten's document table for a projection type.</summary>
    public string DocumentTable<T>() => Table("mt_doc_" + typeof(T).Name.ToLowerInvariant());

    /// <summary>Marten's alias of an event type as stored in mt_events.type ("reward_paid").</summary>
    public string Alias<T>() where T : IChainEvent => _aliases[typeof(T)];

    public string Alias(Type eventType) => _aliases[eventType];

    /// <summary>The stored event of a row (type alias, data), or null for a type the explorer does not know (e.g. a tombstone).</summary>
    public IChainEvent? Event(string alias, DbDataReader reader, int dataOrdinal) =>
        _eventTypes.TryGetValue(alias, out var type) ? (IChainEvent)Serializer.FromJson(type, Utf8(reader, dataOrdinal)) : null;

    /// <summary>A projection document of a row (read as text: a row may hold several, and a reader opens one stream at a time).</summary>
    public T Document<T>(DbDataReader reader, int ordinal) => Serializer.FromJson<T>(Utf8(reader, ordinal));

    private static MemoryStream Utf8(DbDataReader reader, int ordinal) => new(System.Text.Encoding.UTF8.GetBytes(reader.GetString(ordinal)), writable: false);

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    /// <summary>Runs one statement and maps every row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Action<NpgsqlParameterCollection>? parameters, Func<DbDataReader, T> map, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        parameters?.Invoke(command.Parameters);
        var rows = new List<T>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                rows.Add(map(reader));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // The indexer has not created the Ledger's tables yet: nothing is indexed, so there is nothing to show.
            return [];
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
    }
}
