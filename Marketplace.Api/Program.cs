using IoNet.Ledger.Store;

var builder = WebApplication.CreateBuilder(args);
var connectionString = LedgerStore.ResolveConnectionString(builder.Configuration);

var app = builder.Build();

// Liveness plus the one dependency every request needs: the Ledger's PostgreSQL.
app.MapGet("/health", async (CancellationToken ct) =>
    await LedgerStore.PingAsync(connectionString, ct)
        ? Results.Ok(new { status = "healthy", service = "marketplace" })
        : Results.Json(new { status = "unhealthy", service = "marketplace", reason = "database unreachable" }, statusCode: 503));

app.Run();

public partial class Program;
