using IoNet.Ledger.Rentals;
using IoNet.Marketplace.Http;
using Marten;
using Npgsql;

namespace IoNet.Marketplace.Claims;

/// <summary>
/// Accrued earnings and claims in PostgreSQL, beside the outbox: mkt_earning_prefs (who accrues), mkt_earnings (one
/// row per rental, wallet and mint: settled, unpaid until the Ledger holds its transfer), mkt_claims (the claim
/// transactions handed out). A wallet's claims are decided under its advisory lock, inside one transaction, so two
/// requests (on any replica) never reserve the same earning.
/// </summary>
public sealed class ClaimsStore(MarketplaceDatabase database)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    private const string EarningColumns = "rental, wallet, mint, amount, accrued_at, claim, paid_signature, paid_at";
    private const string ClaimColumns = "id, wallet, reference, transaction, blockhash, last_valid_block_height, message, state, created_at, signature, paid_at, released_at, release_reason";

    private string Prefs => database.Table("mkt_earning_prefs");

    private string Earnings => database.Table("mkt_earnings");

    private string Claims => database.Table("mkt_claims");

    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return await database.OpenAsync(cancellationToken);
    }

    /// <summary>Creates the tables unless done (before SQL is queued into a Marten session, which cannot create them).</summary>
    public async ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
                return;
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"""
                SELECT pg_advisory_xact_lock(hashtext('ionet-marketplace-claims-tables'));
                CREATE TABLE IF NOT EXISTS {Prefs} (
                    wallet text PRIMARY KEY,
                    accrue boolean NOT NULL,
                    changed_at timestamptz NOT NULL);
                CREATE TABLE IF NOT EXISTS {Earnings} (
                    rental uuid NOT NULL,
                    wallet text NOT NULL,
                    mint text NOT NULL,
                    amount numeric(20, 0) NOT NULL CHECK (amount > 0),
                    accrued_at timestamptz NOT NULL,
                    claim uuid NULL,
                    paid_signature text NULL,
                    paid_at timestamptz NULL,
                    PRIMARY KEY (rental, wallet, mint));
                CREATE INDEX IF NOT EXISTS mkt_earnings_wallet ON {Earnings} (wallet, accrued_at);
                CREATE TABLE IF NOT EXISTS {Claims} (
                    id uuid PRIMARY KEY,
                    wallet text NOT NULL,
                    reference text NOT NULL UNIQUE,
                    transaction bytea NOT NULL,
                    blockhash text NOT NULL,
                    last_valid_block_height bigint NOT NULL,
                    message text NOT NULL,
                    state text NOT NULL,
                    created_at timestamptz NOT NULL,
                    signature text NULL,
                    paid_at timestamptz NULL,
                    released_at timestamptz NULL,
                    release_reason text NULL);
                CREATE INDEX IF NOT EXISTS mkt_claims_wallet ON {Claims} (wallet, state, created_at);
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

    /// <summary>Whether the wallet accrues its rental earnings (false, the default: paid at settlement).</summary>
    public async Task<(bool Accrue, DateTimeOffset? ChangedAt)> PreferenceAsync(string wallet, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT accrue, changed_at FROM {Prefs} WHERE wallet = @w", connection);
        select.Parameters.AddWithValue("w", wallet);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetBoolean(0), reader.GetFieldValue<DateTimeOffset>(1)) : (false, null);
    }

    public async Task SetPreferenceAsync(string wallet, bool accrue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var upsert = new NpgsqlCommand($"""
            INSERT INTO {Prefs} (wallet, accrue, changed_at) VALUES (@w, @a, @now)
            ON CONFLICT (wallet) DO UPDATE SET accrue = excluded.accrue, changed_at = excluded.changed_at
            """, connection);
        upsert.Parameters.AddWithValue("w", wallet);
        upsert.Parameters.AddWithValue("a", accrue);
        upsert.Parameters.AddWithValue("now", now);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Of <paramref name="wallets"/>, those that accrue.</summary>
    public async Task<IReadOnlySet<string>> AccruingAsync(IReadOnlyCollection<string> wallets, CancellationToken cancellationToken)
    {
        var accruing = new HashSet<string>(StringComparer.Ordinal);
        if (wallets.Count == 0)
            return accruing;
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT wallet FROM {Prefs} WHERE wallet = ANY(@w) AND accrue", connection);
        select.Parameters.AddWithValue("w", wallets.ToArray());
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            accruing.Add(reader.GetString(0));
        return accruing;
    }

    /// <summary>
    /// Queues the accrual of <paramref name="payouts"/> into the session: stored in the same PostgreSQL transaction as the
    /// settlement decision, or not at all (call <see cref="EnsureReadyAsync"/> first).
    /// </summary>
    public static void QueueAccruals(IDocumentSession session, string table, Guid rental, string mint, IEnumerable<SupplierPayout> payouts, DateTimeOffset now)
    {
        foreach (var payout in payouts.Where(p => p.Amount > 0))
            session.QueueSqlCommand(
                $"INSERT INTO {table} (rental, wallet, mint, amount, accrued_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (rental, wallet, mint) DO NOTHING",
                rental, payout.Supplier, mint, (decimal)payout.Amount, now);
    }

    /// <summary>The earnings table's name (for <see cref="QueueAccruals"/>).</summary>
    public string EarningsTable => Earnings;

    /// <summary>The suppliers whose payout of <paramref name="rental"/> settlement accrued instead of paying.</summary>
    public async Task<IReadOnlySet<string>> AccruedSuppliersAsync(Guid rental, CancellationToken cancellationToken)
    {
        var wallets = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT wallet FROM {Earnings} WHERE rental = @r", connection);
        select.Parameters.AddWithValue("r", rental);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            wallets.Add(reader.GetString(0));
        return wallets;
    }

    /// <summary>Takes the wallet's claim lock for the rest of <paramref name="transaction"/>.</summary>
    public static async Task LockWalletAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string wallet, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('ionet-claims'), hashtext(@w))", connection, transaction);
        command.Parameters.AddWithValue("w", wallet);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<List<SupplierClaim>> PendingClaimsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string wallet, CancellationToken cancellationToken) =>
        ClaimsAsync(connection, transaction, $"SELECT {ClaimColumns} FROM {Claims} WHERE wallet = @w AND state = 'Pending' ORDER BY created_at",
            p => p.AddWithValue("w", wallet), cancellationToken);

    public Task<List<AccruedEarning>> UnpaidAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string wallet, CancellationToken cancellationToken) =>
        EarningsAsync(connection, transaction, $"SELECT {EarningColumns} FROM {Earnings} WHERE wallet = @w AND paid_signature IS NULL ORDER BY accrued_at, rental",
            p => p.AddWithValue("w", wallet), cancellationToken);

    /// <summary>A claim that can never land: Released, and the earnings it reserved (still unpaid) are free again.</summary>
    public async Task ReleaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid claim, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE {Claims} SET state = 'Released', released_at = @now, release_reason = @reason, transaction = ''::bytea WHERE id = @id AND state = 'Pending';
            UPDATE {Earnings} SET claim = NULL WHERE claim = @id AND paid_signature IS NULL;
            """, connection, transaction);
        command.Parameters.AddWithValue("id", claim);
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores a new claim and reserves its earnings for it (each must be free: unpaid and unreserved).</summary>
    public async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SupplierClaim claim, IReadOnlyList<AccruedEarning> earnings, CancellationToken cancellationToken)
    {
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO {Claims} (id, wallet, reference, transaction, blockhash, last_valid_block_height, message, state, created_at)
            VALUES (@id, @w, @ref, @tx, @bh, @lvbh, @msg, 'Pending', @now)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", claim.Id);
            insert.Parameters.AddWithValue("w", claim.Wallet);
            insert.Parameters.AddWithValue("ref", claim.Reference);
            insert.Parameters.AddWithValue("tx", claim.Transaction);
            insert.Parameters.AddWithValue("bh", claim.Blockhash);
            insert.Parameters.AddWithValue("lvbh", checked((long)claim.LastValidBlockHeight));
            insert.Parameters.AddWithValue("msg", claim.Message);
            insert.Parameters.AddWithValue("now", claim.CreatedAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var earning in earnings)
        {
            await using var reserve = new NpgsqlCommand($"""
                UPDATE {Earnings} SET claim = @id
                WHERE rental = @r AND wallet = @w AND mint = @m AND paid_signature IS NULL AND (claim IS NULL OR claim = @id)
                """, connection, transaction);
            reserve.Parameters.AddWithValue("id", claim.Id);
            reserve.Parameters.AddWithValue("r", earning.Rental);
            reserve.Parameters.AddWithValue("w", earning.Wallet);
            reserve.Parameters.AddWithValue("m", earning.Mint);
            if (await reserve.ExecuteNonQueryAsync(cancellationToken) != 1)
                throw new InvalidOperationException($"Earning of rental {earning.Rental:N} for {earning.Wallet} is not free to claim.");
        }
    }

    /// <summary>
    /// The Ledger holds the escrow's transfer <paramref name="settled"/>: the earning it pays (if accrued) is paid, and a
    /// claim whose earnings are all paid is Paid. Returns the claims that became Paid. Idempotent.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Claim, string Wallet)>> RecordPaidAsync(
        RentalSettled settled, DateTimeOffset now, ILogger log, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(settled.Rental, "N", out var rental))
            return [];
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid? claim = null;
        await using (var pay = new NpgsqlCommand($"""
            UPDATE {Earnings} SET paid_signature = @sig, paid_at = @now
            WHERE rental = @r AND wallet = @w AND mint = @m AND paid_signature IS NULL RETURNING claim, amount
            """, connection, transaction))
        {
            pay.Parameters.AddWithValue("sig", settled.Signature);
            pay.Parameters.AddWithValue("now", now);
            pay.Parameters.AddWithValue("r", rental);
            pay.Parameters.AddWithValue("w", settled.Supplier);
            pay.Parameters.AddWithValue("m", settled.Mint);
            await using var reader = await pay.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                claim = reader.IsDBNull(0) ? null : reader.GetGuid(0);
                // Only claims pay accrued earnings, and each pays them whole: another amount means someone else paid it.
                if (reader.GetDecimal(1) != settled.Amount)
                    log.LogWarning("Earning of rental {Rental} for {Wallet} is {Expected} {Mint} but {Signature} paid {Paid}; it counts as paid",
                        rental, settled.Supplier, reader.GetDecimal(1), settled.Mint, settled.Signature, settled.Amount);
            }
        }
        var paid = new List<(Guid, string)>();
        if (claim is { } id)
        {
            await using var complete = new NpgsqlCommand($"""
                UPDATE {Claims} c SET state = 'Paid', paid_at = @now, signature = @sig, transaction = ''::bytea
                WHERE c.id = @id AND c.state = 'Pending'
                  AND NOT EXISTS (SELECT 1 FROM {Earnings} e WHERE e.claim = c.id AND e.paid_signature IS NULL)
                RETURNING c.wallet
                """, connection, transaction);
            complete.Parameters.AddWithValue("id", id);
            complete.Parameters.AddWithValue("sig", settled.Signature);
            complete.Parameters.AddWithValue("now", now);
            if (await complete.ExecuteScalarAsync(cancellationToken) is string wallet)
                paid.Add((id, wallet));
        }
        await transaction.CommitAsync(cancellationToken);
        return paid;
    }

    /// <summary>The wallet's unpaid earnings per mint: (mint, amount, of it reserved by pending claims), summed in PostgreSQL.</summary>
    public async Task<List<(string Mint, ulong Amount, ulong Reserved)>> UnpaidTotalsAsync(string wallet, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"""
            SELECT mint, sum(amount), coalesce(sum(amount) FILTER (WHERE claim IS NOT NULL), 0)
            FROM {Earnings} WHERE wallet = @w AND paid_signature IS NULL GROUP BY mint ORDER BY mint
            """, connection);
        select.Parameters.AddWithValue("w", wallet);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var totals = new List<(string, ulong, ulong)>();
        while (await reader.ReadAsync(cancellationToken))
            totals.Add((reader.GetString(0), checked((ulong)reader.GetDecimal(1)), checked((ulong)reader.GetDecimal(2))));
        return totals;
    }

    /// <summary>Every earning of the wallet, newest first.</summary>
    public async Task<List<AccruedEarning>> EarningsOfAsync(string wallet, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await EarningsAsync(connection, null, $"SELECT {EarningColumns} FROM {Earnings} WHERE wallet = @w ORDER BY accrued_at DESC, rental LIMIT @l",
            p =>
            {
                p.AddWithValue("w", wallet);
                p.AddWithValue("l", limit);
            }, cancellationToken);
    }

    /// <summary>The wallet's claims, newest first.</summary>
    public async Task<List<SupplierClaim>> ClaimsOfAsync(string wallet, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ClaimsAsync(connection, null, $"SELECT {ClaimColumns} FROM {Claims} WHERE wallet = @w ORDER BY created_at DESC LIMIT @l",
            p =>
            {
                p.AddWithValue("w", wallet);
                p.AddWithValue("l", limit);
            }, cancellationToken);
    }

    public async Task<SupplierClaim?> ClaimAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var found = await ClaimsAsync(connection, null, $"SELECT {ClaimColumns} FROM {Claims} WHERE id = @id", p => p.AddWithValue("id", id), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<List<AccruedEarning>> EarningsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(sql, connection, transaction);
        parameters(select.Parameters);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var earnings = new List<AccruedEarning>();
        while (await reader.ReadAsync(cancellationToken))
        {
            earnings.Add(new AccruedEarning(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), checked((ulong)reader.GetDecimal(3)),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return earnings;
    }

    private static async Task<List<SupplierClaim>> ClaimsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(sql, connection, transaction);
        parameters(select.Parameters);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var claims = new List<SupplierClaim>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add(new SupplierClaim(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), (byte[])reader[3], reader.GetString(4),
                checked((ulong)reader.GetInt64(5)), reader.GetString(6), Enum.Parse<ClaimState>(reader.GetString(7)), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.IsDBNull(12) ? null : reader.GetString(12)));
        }
        return claims;
    }
}
