using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace IoNet.Marketplace.Http;

/// <summary>Endpoint metadata: a creating POST that honours the Idempotency-Key header.</summary>
public sealed class IdempotentEndpoint
{
    public static readonly IdempotentEndpoint Instance = new();

    private IdempotentEndpoint() { }
}

public sealed class IdempotencySettings
{
    public const string Section = "Marketplace:Idempotency";

    /// <summary>How long a key and its stored response are kept (a client retries within this time).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A claim whose request never finished (the process died) may be taken over after this.</summary>
    public TimeSpan StaleClaim { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Idempotency-Key on creating POSTs (draft-ietf-httpapi-idempotency-key-header): per (wallet, key) the first request
/// runs and its response (status, body, Content-Type, Location) is stored in PostgreSQL; the same request again gets
/// that response back with Idempotency-Replayed: true. The key with another request is 422; while the first is still
/// running, 409. The claim is an INSERT on the primary key, so of two concurrent requests (on any replica) one runs.
/// A response of 500 or more is not stored: the claim is dropped and a retry runs again.
/// </summary>
public sealed class IdempotencyKeys(RequestDelegate next, MarketplaceDatabase database, TimeProvider clock, IdempotencySettings settings)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is null
            || !context.Request.Headers.TryGetValue(Header, out var values)
            || context.User.Wallet() is not { } wallet)
        {
            await next(context);
            return;
        }
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= MaxKeyLength } key || key.Any(c => c is < '!' or > '~'))
        {
            await WriteProblemAsync(context, problems, StatusCodes.Status400BadRequest, "Bad Idempotency-Key",
                $"Send one {Header} of 1 to {MaxKeyLength} visible ASCII characters (a UUID is a good choice).");
            return;
        }

        var hash = await RequestHashAsync(context.Request, context.RequestAborted);
        var table = database.Table("mkt_idempotency_keys");
        await using (var connection = await database.OpenAsync(context.RequestAborted))
        {
            if (!await TryClaimAsync(connection, table, wallet, key, hash, context.RequestAborted))
            {
                await using var select = new NpgsqlCommand(
                    $"SELECT request_hash, status, content_type, location, body FROM {table} WHERE wallet = @w AND key = @k", connection);
                select.Parameters.AddWithValue("w", wallet);
                select.Parameters.AddWithValue("k", key);
                await using var reader = await select.ExecuteReaderAsync(context.RequestAborted);
                if (!await reader.ReadAsync(context.RequestAborted) || reader.IsDBNull(1))
                {
                    context.Response.Headers.RetryAfter = "1";
                    await WriteProblemAsync(context, problems, StatusCodes.Status409Conflict, "Request in progress",
                        $"A request with this {Header} is still being processed; retry it shortly to get its response.");
                    return;
                }
                if (!((byte[])reader[0]).AsSpan().SequenceEqual(hash))
                {
                    await WriteProblemAsync(context, problems, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                        $"This {Header} was used for a different request (another body or path); use a new key for a new request.");
                    return;
                }
                context.Response.StatusCode = reader.GetInt32(1);
                if (!reader.IsDBNull(2))
                    context.Response.ContentType = reader.GetString(2);
                if (!reader.IsDBNull(3))
                    context.Response.Headers.Location = reader.GetString(3);
                context.Response.Headers[ReplayedHeader] = "true";
                if (!reader.IsDBNull(4))
                    await context.Response.Body.WriteAsync((byte[])reader[4], context.RequestAborted);
                return;
            }
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var stored = false;
        try
        {
            await next(context);
            if (context.Response.StatusCode < 500)
            {
                await StoreAsync(table, wallet, key, context.Response, buffer.ToArray());
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!stored)
                await ReleaseAsync(table, wallet, key);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task<bool> TryClaimAsync(NpgsqlConnection connection, string table, string wallet, string key, byte[] hash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // A new key inserts; a key past its retention, or a claim left by a request that never finished, is taken over.
        await using var claim = new NpgsqlCommand($"""
            INSERT INTO {table} AS k (wallet, key, request_hash, created_at) VALUES (@w, @k, @h, @now)
            ON CONFLICT (wallet, key) DO UPDATE SET request_hash = excluded.request_hash, created_at = excluded.created_at,
                status = NULL, content_type = NULL, location = NULL, body = NULL
            WHERE k.created_at < @expired OR (k.status IS NULL AND k.created_at < @stale)
            """, connection);
        claim.Parameters.AddWithValue("w", wallet);
        claim.Parameters.AddWithValue("k", key);
        claim.Parameters.AddWithValue("h", hash);
        claim.Parameters.AddWithValue("now", now);
        claim.Parameters.AddWithValue("expired", now - settings.Retention);
        claim.Parameters.AddWithValue("stale", now - settings.StaleClaim);
        return await claim.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task StoreAsync(string table, string wallet, string key, HttpResponse response, byte[] body)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var update = new NpgsqlCommand(
            $"UPDATE {table} SET status = @s, content_type = @ct, location = @l, body = @b WHERE wallet = @w AND key = @k", connection);
        update.Parameters.AddWithValue("s", response.StatusCode);
        update.Parameters.Add(new NpgsqlParameter("ct", NpgsqlDbType.Text) { Value = (object?)response.ContentType ?? DBNull.Value });
        var location = response.Headers.Location.ToString();
        update.Parameters.Add(new NpgsqlParameter("l", NpgsqlDbType.Text) { Value = location.Length > 0 ? location : DBNull.Value });
        update.Parameters.AddWithValue("b", body);
        update.Parameters.AddWithValue("w", wallet);
        update.Parameters.AddWithValue("k", key);
        await update.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task ReleaseAsync(string table, string wallet, string key)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE wallet = @w AND key = @k AND status IS NULL", connection);
        delete.Parameters.AddWithValue("w", wallet);
        delete.Parameters.AddWithValue("k", key);
        await delete.ExecuteNonQueryAsync(CancellationToken.None);
    }

    // Same method, path, query and body bytes: the same request.
    private static async Task<byte[]> RequestHashAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            hash.AppendData(chunk, 0, n);
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    private static Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status, Title = title, Detail = detail } }).AsTask();
    }
}

public static class IdempotencyEndpointExtensions
{
    /// <summary>Marks a creating POST: an Idempotency-Key header makes retries of it safe.</summary>
    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(IdempotentEndpoint.Instance)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
