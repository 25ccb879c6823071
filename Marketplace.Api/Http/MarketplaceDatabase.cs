using Npgsql;

namespace IoNet.Marketplace.Http;

/// <summary>
/// The marketplace's plain tables beside Marten's (sign-in nonces, idempotency keys, the transaction outbox, credit
/// quotes and purchases), in the store's schema. They are
/// created on first use, not at start, so the service starts (and /health answers 503) while PostgreSQL is away.
/// </summary>
public sealed class MarketplaceDatabase(NpgsqlDataSource dataSource, string schema) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Schema-qualified, quoted table name.</summary>
    public string Table(string name) => $"\"{schema}\".\"{name}\"";

    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
            await EnsureTablesAsync(cancellationToken);
        return await dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Creates the tables unless done already (for SQL queued into a Marten session, which cannot create them itself).</summary>
    public async ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
            await EnsureTablesAsync(cancellationToken);
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
                return;
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Several replicas may start together: one creates, the others wait on the lock and find the tables.
            await using var command = new NpgsqlCommand($"""
                SELECT pg_advisory_xact_lock(hashtext('ionet-marketplace-tables'));
                CREATE SCHEMA IF NOT EXISTS "{schema}";
                CREATE TABLE IF NOT EXISTS {Table("mkt_signin_nonces")} (
                    nonce text PRIMARY KEY,
                    address text NOT NULL,
                    issued_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    used_at timestamptz NULL);
                CREATE INDEX IF NOT EXISTS mkt_signin_nonces_expires ON {Table("mkt_signin_nonces")} (expires_at);
                CREATE TABLE IF NOT EXISTS {Table("mkt_idempotency_keys")} (
                    wallet text NOT NULL,
                    key text NOT NULL,
                    request_hash bytea NOT NULL,
                    created_at timestamptz NOT NULL,
                    status integer NULL,
                    content_type text NULL,
                    location text NULL,
                    body bytea NULL,
                    PRIMARY KEY (wallet, key));
                CREATE INDEX IF NOT EXISTS mkt_idempotency_keys_created ON {Table("mkt_idempotency_keys")} (created_at);
                CREATE TABLE IF NOT EXISTS {Table("mkt_outbox")} (
                    key text PRIMARY KEY,
                    kind text NOT NULL,
                    owner text NULL,
                    payload jsonb NOT NULL,
                    state text NOT NULL,
                    attempt integer NOT NULL DEFAULT 0,
                    transaction bytea NULL,
                    signature text NULL,
                    last_valid_block_height bigint NULL,
                    sends integer NOT NULL DEFAULT 0,
                    sent_at timestamptz NULL,
                    landed_slot bigint NULL,
                    signatures text[] NOT NULL DEFAULT ARRAY[]::text[],
                    last_error text NULL,
                    created_at timestamptz NOT NULL,
                    next_try_at timestamptz NOT NULL,
                    completed_at timestamptz NULL,
                    done_signature text NULL);
                CREATE INDEX IF NOT EXISTS mkt_outbox_due ON {Table("mkt_outbox")} (next_try_at) WHERE state <> 'Done';
                CREATE INDEX IF NOT EXISTS mkt_outbox_owner ON {Table("mkt_outbox")} (kind, owner);
                CREATE TABLE IF NOT EXISTS {Table("mkt_credit_quotes")} (
                    id uuid PRIMARY KEY,
                    buyer text NOT NULL,
                    io_amount numeric(20, 0) NOT NULL,
                    rate_micro_usd numeric(20, 0) NOT NULL,
                    iosd_amount numeric(20, 0) NOT NULL,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    used_by text NULL);
                CREATE INDEX IF NOT EXISTS mkt_credit_quotes_buyer ON {Table("mkt_credit_quotes")} (buyer, created_at);
                CREATE TABLE IF NOT EXISTS {Table("mkt_credit_purchases")} (
                    burn_signature text PRIMARY KEY,
                    buyer text NOT NULL,
                    slot bigint NOT NULL,
                    burned_at timestamptz NULL,
                    io_burned numeric(20, 0) NOT NULL,
                    memo_rate_micro_usd numeric(20, 0) NOT NULL,
                    quote_id uuid NULL,
                    rate_source text NULL,
                    rate_micro_usd numeric(20, 0) NULL,
                    iosd_amount numeric(20, 0) NULL,
                    quote_not_honoured text NULL,
                    refused text NULL,
                    decided_at timestamptz NOT NULL);
                CREATE INDEX IF NOT EXISTS mkt_credit_purchases_buyer ON {Table("mkt_credit_purchases")} (buyer, slot);
                """, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _gate.Dispose();
        await dataSource.DisposeAsync();
    }
}
