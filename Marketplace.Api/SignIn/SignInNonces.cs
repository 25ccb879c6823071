using System.Security.Cryptography;
using IoNet.Marketplace.Http;
using IoNet.Solana.Wire;
using Npgsql;

namespace IoNet.Marketplace.SignIn;

/// <summary>
/// Single-use sign-in nonces in PostgreSQL. Consuming one is a single conditional UPDATE, so of two verifications of the
/// same nonce (on any replica) exactly one succeeds.
/// </summary>
public sealed class SignInNonces(MarketplaceDatabase database)
{
    private string Table => database.Table("mkt_signin_nonces");

    /// <summary>A fresh nonce for <paramref name="address"/>: 16 random bytes in base58 (alphanumeric, as EIP-4361 wants).</summary>
    public async Task<string> IssueAsync(string address, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var nonce = Base58.Encode(RandomNumberGenerator.GetBytes(16));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand($"INSERT INTO {Table} (nonce, address, issued_at, expires_at) VALUES (@n, @a, @i, @e)", connection);
        insert.Parameters.AddWithValue("n", nonce);
        insert.Parameters.AddWithValue("a", address);
        insert.Parameters.AddWithValue("i", now);
        insert.Parameters.AddWithValue("e", expiresAt);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return nonce;
    }

    /// <summary>Marks the nonce used if it was issued to <paramref name="address"/>, is unused and unexpired; otherwise says why not.</summary>
    public async Task<NonceUse> ConsumeAsync(string nonce, string address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var consume = new NpgsqlCommand(
            $"UPDATE {Table} SET used_at = @now WHERE nonce = @n AND address = @a AND used_at IS NULL AND expires_at > @now RETURNING issued_at", connection))
        {
            consume.Parameters.AddWithValue("n", nonce);
            consume.Parameters.AddWithValue("a", address);
            consume.Parameters.AddWithValue("now", now);
            if (await consume.ExecuteScalarAsync(cancellationToken) is DateTime issuedAt)
                return new NonceUse(NonceOutcome.Consumed, new DateTimeOffset(issuedAt, TimeSpan.Zero));
        }
        await using var why = new NpgsqlCommand($"SELECT address, used_at, expires_at FROM {Table} WHERE nonce = @n", connection);
        why.Parameters.AddWithValue("n", nonce);
        await using var reader = await why.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new NonceUse(NonceOutcome.Unknown, null);
        if (reader.GetString(0) != address)
            return new NonceUse(NonceOutcome.OtherAddress, null);
        if (!reader.IsDBNull(1))
            return new NonceUse(NonceOutcome.AlreadyUsed, null);
        return new NonceUse(NonceOutcome.Expired, null);
    }

    /// <summary>Drops nonces that expired before <paramref name="before"/>.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var delete = new NpgsqlCommand($"DELETE FROM {Table} WHERE expires_at < @b", connection);
        delete.Parameters.AddWithValue("b", before);
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}

public enum NonceOutcome
{
    Consumed,
    Unknown,
    OtherAddress,
    AlreadyUsed,
    Expired,
}

public sealed record NonceUse(NonceOutcome Outcome, DateTimeOffset? IssuedAt);
