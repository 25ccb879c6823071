using System.Data.Common;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Http;
using Npgsql;

namespace IoNet.Marketplace.Credits;

/// <summary>A desk's decision for one burn, as stored (mkt_credit_purchases).</summary>
public sealed record CreditPurchase(
    string BurnSignature, string Buyer, ulong Slot, DateTimeOffset? BurnedAt, ulong IoBurned, ulong MemoRateMicroUsd, Guid? Quote,
    RateSource? Source, ulong? RateMicroUsd, ulong? IosdAmount, string? QuoteNotHonoured, string? Refused, DateTimeOffset DecidedAt);

/// <summary>
/// The desk's tables: quotes (mkt_credit_quotes) and one decision per burn (mkt_credit_purchases). A decision, the use
/// of its quote and its outbox intent are written in one PostgreSQL transaction, and the burn's signature is the
/// decision's key: a burn is decided once, whoever (which replica, which replay) decides it.
/// </summary>
public sealed class CreditsStore(MarketplaceDatabase database, TransactionOutbox outbox, OutboxSignal signal)
{
    /// <summary>The outbox kind and key of the mint for a burn.</summary>
    public const string Kind = "credits";

    public static string IntentKey(string burnSignature) => $"{Kind}:{burnSignature}";

    private string Quotes => database.Table("mkt_credit_quotes");

    private string Purchases => database.Table("mkt_credit_purchases");

    public async Task AddQuoteAsync(CreditQuote quote, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO {Quotes} (id, buyer, io_amount, rate_micro_usd, iosd_amount, created_at, expires_at)
            VALUES (@id, @buyer, @io, @rate, @iosd, @created, @expires)
            """, connection);
        insert.Parameters.AddWithValue("id", quote.Id);
        insert.Parameters.AddWithValue("buyer", quote.Buyer);
        insert.Parameters.AddWithValue("io", (decimal)quote.IoAmount);
        insert.Parameters.AddWithValue("rate", (decimal)quote.RateMicroUsd);
        insert.Parameters.AddWithValue("iosd", (decimal)quote.IosdAmount);
        insert.Parameters.AddWithValue("created", quote.CreatedAt);
        insert.Parameters.AddWithValue("expires", quote.ExpiresAt);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CreditQuote?> FindQuoteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindQuoteAsync(connection, null, id, forUpdate: false, cancellationToken);
    }

    /// <summary>A wallet's quotes, newest first.</summary>
    public async Task<List<CreditQuote>> QuotesOfAsync(string buyer, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"{SelectQuote} WHERE buyer = @buyer ORDER BY created_at DESC, id LIMIT @limit", connection);
        select.Parameters.AddWithValue("buyer", buyer);
        select.Parameters.AddWithValue("limit", limit);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var quotes = new List<CreditQuote>();
        while (await reader.ReadAsync(cancellationToken))
            quotes.Add(ReadQuote(reader));
        return quotes;
    }

    /// <summary>A wallet's decided purchases, newest burn first.</summary>
    public async Task<List<CreditPurchase>> PurchasesOfAsync(string buyer, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"{SelectPurchase} WHERE buyer = @buyer ORDER BY slot DESC, burn_signature LIMIT @limit", connection);
        select.Parameters.AddWithValue("buyer", buyer);
        select.Parameters.AddWithValue("limit", limit);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var purchases = new List<CreditPurchase>();
        while (await reader.ReadAsync(cancellationToken))
            purchases.Add(ReadPurchase(reader));
        return purchases;
    }

    /// <summary>The desk's decision for one burn, or null while it has not decided it (or the burn is no purchase).</summary>
    public async Task<CreditPurchase?> FindPurchaseAsync(string burnSignature, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"{SelectPurchase} WHERE burn_signature = @burn", connection);
        select.Parameters.AddWithValue("burn", burnSignature);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadPurchase(reader) : null;
    }

    private string SelectPurchase => $"""
        SELECT burn_signature, buyer, slot, burned_at, io_burned, memo_rate_micro_usd, quote_id, rate_source, rate_micro_usd, iosd_amount,
               quote_not_honoured, refused, decided_at
        FROM {Purchases}
        """;

    private static CreditPurchase ReadPurchase(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), (ulong)reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
        U64(reader, 4)!.Value, U64(reader, 5)!.Value, reader.IsDBNull(6) ? null : reader.GetGuid(6),
        reader.IsDBNull(7) ? null : Enum.Parse<RateSource>(reader.GetString(7)), U64(reader, 8), U64(reader, 9),
        reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.GetFieldValue<DateTimeOffset>(12));

    /// <summary>
    /// Decides <paramref name="burn"/> once: in one transaction, unless a decision for it exists, lock the quote it
    /// names, decide, mark the quote used, store the decision and enqueue the mint. Returns the stored decision (the
    /// earlier one when the burn was decided before: a replay or another replica changes nothing).
    /// </summary>
    public async Task<(CreditsDecision Decision, bool New)> DecideOnceAsync(
        BurnSeen burn, ulong currentRate, byte ioDecimals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await DecidedAsync(connection, transaction, burn.Signature, cancellationToken) is { } earlier)
            return (earlier, false);
        var quote = burn.Quote is { } id ? await FindQuoteAsync(connection, transaction, id, forUpdate: true, cancellationToken) : null;
        var decision = CreditsDecisions.Decide(burn, quote, currentRate, ioDecimals);
        if (decision is { Source: RateSource.Quote, Refused: null })
        {
            await using var use = new NpgsqlCommand($"UPDATE {Quotes} SET used_by = @burn WHERE id = @id AND (used_by IS NULL OR used_by = @burn)", connection, transaction);
            use.Parameters.AddWithValue("burn", burn.Signature);
            use.Parameters.AddWithValue("id", quote!.Id);
            await use.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO {Purchases} (burn_signature, buyer, slot, burned_at, io_burned, memo_rate_micro_usd, quote_id, rate_source, rate_micro_usd,
                iosd_amount, quote_not_honoured, refused, decided_at)
            VALUES (@burn, @buyer, @slot, @burned, @io, @memo, @quote, @source, @rate, @iosd, @problem, @refused, @now)
            ON CONFLICT (burn_signature) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("burn", burn.Signature);
            insert.Parameters.AddWithValue("buyer", burn.Buyer);
            insert.Parameters.AddWithValue("slot", checked((long)burn.Slot));
            insert.Parameters.AddWithValue("burned", burn.BlockTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : DBNull.Value);
            insert.Parameters.AddWithValue("io", (decimal)burn.IoBurned);
            insert.Parameters.AddWithValue("memo", (decimal)burn.MemoRateMicroUsd);
            insert.Parameters.AddWithValue("quote", burn.Quote is { } q ? q : DBNull.Value);
            insert.Parameters.AddWithValue("source", decision.Source?.ToString() ?? (object)DBNull.Value);
            insert.Parameters.AddWithValue("rate", decision.Rate is { } r ? (decimal)r : DBNull.Value);
            insert.Parameters.AddWithValue("iosd", decision.Iosd is { } i ? (decimal)i : DBNull.Value);
            insert.Parameters.AddWithValue("problem", (object?)decision.QuoteNotHonoured ?? DBNull.Value);
            insert.Parameters.AddWithValue("refused", (object?)decision.Refused ?? DBNull.Value);
            insert.Parameters.AddWithValue("now", now);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // Decided meanwhile by another replica (its transaction committed first): that decision stands.
                await transaction.RollbackAsync(cancellationToken);
                await using var again = await database.OpenAsync(cancellationToken);
                return ((await DecidedAsync(again, null, burn.Signature, cancellationToken))!, false);
            }
        }
        if (decision.Mints)
        {
            var entry = OutboxEntry.Of(IntentKey(burn.Signature), Kind, burn.Buyer, new CreditsMintPayload(burn.Buyer, burn.Signature, burn.IoBurned, decision.Rate!.Value));
            await outbox.EnqueueAsync(connection, transaction, entry, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (decision.Mints)
            signal.Wake();
        return (decision, true);
    }

    private async Task<CreditsDecision?> DecidedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string burn, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            $"SELECT rate_source, rate_micro_usd, iosd_amount, quote_not_honoured, refused FROM {Purchases} WHERE burn_signature = @burn", connection, transaction);
        select.Parameters.AddWithValue("burn", burn);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new CreditsDecision(reader.IsDBNull(0) ? null : Enum.Parse<RateSource>(reader.GetString(0)), U64(reader, 1), U64(reader, 2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    private const string QuoteColumns = "id, buyer, io_amount, rate_micro_usd, iosd_amount, created_at, expires_at, used_by";

    private string SelectQuote => $"SELECT {QuoteColumns} FROM {Quotes}";

    private async Task<CreditQuote?> FindQuoteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"{SelectQuote} WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", connection, transaction);
        select.Parameters.AddWithValue("id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadQuote(reader) : null;
    }

    private static CreditQuote ReadQuote(DbDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), U64(reader, 2)!.Value, U64(reader, 3)!.Value, U64(reader, 4)!.Value,
        reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7));

    private static ulong? U64(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : decimal.ToUInt64(reader.GetDecimal(ordinal));
}

/// <summary>What the credits mint needs, stored on its outbox intent.</summary>
public sealed record CreditsMintPayload(string Buyer, string BurnSignature, ulong IoBurned, ulong RateMicroUsd);
