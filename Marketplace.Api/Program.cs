using IoNet.Ledger.Store;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.SignIn;

// `keygen`, `sign` and `sign-in` are small wallet tools for the command line (README.md); anything else runs the API.
if (args.Length > 0 && SignInCommands.Names.Contains(args[0]))
    return await SignInCommands.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketplace();
var connectionString = LedgerStore.ResolveConnectionString(builder.Configuration);

var app = builder.Build();
app.UseMarketplace();

// Liveness plus the one dependency every request needs: the Ledger's PostgreSQL.
app.MapGet("/health", async (CancellationToken ct) =>
    await LedgerStore.PingAsync(connectionString, ct)
        ? Results.Ok(new { status = "healthy", service = "marketplace" })
        : Results.Json(new { status = "unhealthy", service = "marketplace", reason = "database unreachable" }, statusCode: 503))
    .ExcludeFromDescription().DisableRateLimiting();

await app.RunAsync();
return 0;

public partial class Program;
