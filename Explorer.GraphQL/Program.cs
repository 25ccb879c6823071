using GraphQL;
using IoNet.Explorer;
using IoNet.Explorer.Batching;
using IoNet.Explorer.Components;
using IoNet.Explorer.Components.Exports;
using IoNet.Explorer.Components.Map;
using IoNet.Explorer.Http;
using IoNet.Explorer.Live;
using IoNet.Explorer.Reads;
using IoNet.Explorer.Schema;
using IoNet.Ledger.Store;

var builder = WebApplication.CreateBuilder(args);
var connectionString = LedgerStore.ResolveConnectionString(builder.Configuration);
var settings = builder.Configuration.GetSection(ExplorerSettings.Section).Get<ExplorerSettings>() ?? new ExplorerSettings();

builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Math.Max(settings.Limits.MaxRequestBytes, 1024 * 1024) * 2L);
builder.Services.AddSingleton(settings)
    .AddSingleton(NetworkMints.From(settings))
    .AddSingleton(_ => new LedgerDb(connectionString, settings.Schema))
    .AddSingleton<EventReads>().AddSingleton<DocumentReads>()
    .AddSingleton<NetworkReads>().AddSingleton<ChainProgressReads>().AddSingleton<PayoutReads>().AddSingleton<SupplyReads>()
    .AddSingleton<DeviceReads>().AddSingleton<ClusterReads>().AddSingleton<RewardBlockReads>().AddSingleton<WalletReads>()
    .AddSingleton<TransactionReads>().AddSingleton<SearchReads>().AddSingleton<MarketReads>().AddSingleton<ProofOfWorkReads>().AddSingleton<VaultReads>()
    .AddSingleton(TimeProvider.System)
    .AddScoped<Loaders>()
    .AddSingleton<LedgerFeed>().AddHostedService(s => s.GetRequiredService<LedgerFeed>())
    .AddSingleton<NetworkCache>()
    .AddSingleton(new PersistedDocuments(Path.Combine(AppContext.BaseDirectory, "Persisted")))
    .AddSingleton<GraphQLRunner>().AddSingleton<GraphQLWebSocketHandler>()
    .AddSingleton<TokenCatalog>().AddSingleton(_ => WorldShapes.Load());
builder.Services.AddHybridCache();
// The public pages: Blazor static server rendering (no SPA, no script), Components/.
builder.Services.AddRazorComponents();
builder.Services.AddGraphQL(b => b
    .AddSchema<ExplorerSchema>()
    .AddGraphTypes(typeof(ExplorerSchema).Assembly)
    .AddSystemTextJson()
    .AddComplexityAnalyzer(o =>
    {
        o.MaxDepth = settings.Limits.MaxDepth;
        o.MaxComplexity = (int)settings.Limits.MaxComplexity;
    })
    .AddErrorInfoProvider(o => o.ExposeExceptionDetails = false)
    .AddUnhandledExceptionHandler(ctx =>
    {
        // A caller's mistake in arguments (cursor, pagination) is an error with its code, not an internal error.
        if (ctx.OriginalException is ReadException read)
            ctx.Exception = new ExecutionError(read.Message) { Code = read.Code };
        else
            ctx.Context?.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("IoNet.Explorer.GraphQL")
                .LogError(ctx.OriginalException, "resolver failed at {Path}", ctx.FieldContext?.Path is { } path ? string.Join('.', path) : "");
    }));

var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
// GraphiQL, bundled at build time (ui/build.mjs): from the project's wwwroot, or the copy beside the assembly.
if (new[] { Path.Combine(app.Environment.ContentRootPath, "wwwroot", "graphiql"), Path.Combine(AppContext.BaseDirectory, "graphiql") }
        .FirstOrDefault(d => File.Exists(Path.Combine(d, "index.html"))) is { } graphiql)
{
    var files = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(graphiql);
    app.Use(async (http, next) =>
    {
        if (http.Request.Path.Value == "/graphql/ui")
            http.Response.Redirect("/graphql/ui/");
        else
            await next(http);
    });
    app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = "/graphql/ui" });
    app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = "/graphql/ui" });
}

// Endpoints are matched after the static files: the pages' catch-all not-found route would otherwise shadow GraphiQL's files.
app.UseRouting();

// Liveness plus the one dependency every request needs: the Ledger's PostgreSQL.
app.MapGet("/health", async (CancellationToken ct) =>
    await LedgerStore.PingAsync(connectionString, ct)
        ? Results.Ok(new { status = "healthy", service = "explorer" })
        : Results.Json(new { status = "unhealthy", service = "explorer", reason = "database unreachable" }, statusCode: 503));
app.MapGraphQL();
app.UseAntiforgery();
app.MapSiteAssets();
app.MapCsvExports();
app.MapRazorComponents<App>();

app.Run();

public partial class Program;
