using System.Diagnostics;
using System.Text.Json.Serialization;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Store;
using IoNet.Ledger.Tokens;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Claims;
using IoNet.Marketplace.Credits;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.Orders;
using IoNet.Marketplace.Payments;
using IoNet.Marketplace.ProofOfWork;
using IoNet.Marketplace.Quotes;
using IoNet.Marketplace.Rentals;
using IoNet.Marketplace.Rewards;
using IoNet.Marketplace.Settlement;
using IoNet.Marketplace.SignIn;
using IoNet.Marketplace.Staking;
using IoNet.Marketplace.Uptime;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IoNet.Marketplace.Http;

/// <summary>The service's composition: what every capability shares (store, JSON, errors, auth, limits, docs, telemetry).</summary>
public static class MarketplaceHost
{
    public static WebApplicationBuilder AddMarketplace(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var connectionString = LedgerStore.ResolveConnectionString(configuration);
        var settings = Bind<MarketplaceSettings>(configuration, MarketplaceSettings.Section);
        var signIn = Bind<SignInSettings>(configuration, SignInSettings.Section);
        var rateLimits = Bind<RateLimitSettings>(configuration, RateLimitSettings.Section);
        var idempotency = Bind<IdempotencySettings>(configuration, IdempotencySettings.Section);
        services.AddSingleton(settings).AddSingleton(signIn).AddSingleton(rateLimits).AddSingleton(idempotency);
        services.TryAddSingleton(TimeProvider.System);

        // Store: Marten for events and read models, plain tables (nonces, idempotency keys) beside them.
        // The reactions to what the indexer stored (credits desk, rental payments, device market feed) are subscriptions
        // on the async daemon; HotCold runs them on one replica at a time, under a lock id of the marketplace's own (the
        // indexer's daemon holds the default). Their progress is in the store.
        var credits = configuration.GetSection(CreditsSettings.Section).Get<CreditsSettings>() ?? new CreditsSettings();
        var market = Bind<MarketSettings>(configuration, MarketSettings.Section);
        services.AddSingleton(market);
        var marten = services.AddMarten(o =>
            {
                LedgerStore.ApplyConventions(o, connectionString, settings.Schema);
                LedgerStore.AddChainEventTypes(o);
                LedgerStore.AddMarketplaceProjections(o);
                o.Projections.DaemonLockId = MarketplaceDaemonLockId;
            }).UseLightweightSessions()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .AddSubscriptionWithServices<RentalPaymentFeed>(ServiceLifetime.Singleton)
            .AddSubscriptionWithServices<DeviceMarketFeed>(ServiceLifetime.Singleton)
            .AddSubscriptionWithServices<SettlementFeed>(ServiceLifetime.Singleton)
            .AddSubscriptionWithServices<ClaimsFeed>(ServiceLifetime.Singleton);
        // The schema before any hosted service starts: the indexer migrates the same event tables, and lazy creation
        // here raced with it (42P07 "already exists").
        LedgerMigration.AddTo(services, startWithoutDatabase: true);
        if (credits.DeskEnabled)
            marten.AddSubscriptionWithServices<CreditsDesk>(ServiceLifetime.Singleton, o => o.Options.BatchSize = 500);
        services.AddSingleton(_ => new MarketplaceDatabase(NpgsqlDataSource.Create(connectionString), settings.Schema));
        services.AddHostedService<Janitor>();
        // The order book: one host per replica (a singleton that is also the hosted service), its journal shared.
        services.AddSingleton<OrderBookHost>().AddHostedService(sp => sp.GetRequiredService<OrderBookHost>());
        services.AddSingleton<RentalStreams>();
        services.AddSingleton<RentalMonitor>().AddHostedService(sp => sp.GetRequiredService<RentalMonitor>());
        services.AddMarketplaceChain(configuration);
        services.AddTransactionOutbox(configuration);
        services.AddMarketplaceCredits(configuration);
        services.AddMarketplaceSettlement();
        services.AddMarketplaceRewards(configuration);
        services.AddMarketplaceClaims();

        // JSON: enums by name only, numbers as numbers (the web defaults would read "8" as 8), unknown members refused;
        // the binder's errors become 400 ProblemDetails.
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new StrictEnumConverter());
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? c.HttpContext.TraceIdentifier));
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddValidation();

        // Who acts: Sign-In With Solana issues the JWTs that JwtBearer checks.
        services.AddSingleton(sp => new AccessTokens(signIn,
            AccessTokens.LoadKey(signIn, builder.Environment.ContentRootPath, sp.GetRequiredService<ILogger<AccessTokens>>())));
        services.AddSingleton<SignInNonces>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<AccessTokens>((o, tokens) => tokens.Configure(o));
        var operators = settings.OperatorWallets.ToHashSet(StringComparer.Ordinal);
        services.AddAuthorizationBuilder()
            .AddPolicy(WalletPrincipal.WalletPolicy, p => p.RequireAuthenticatedUser().RequireClaim(WalletPrincipal.SubjectClaim))
            .AddPolicy(WalletPrincipal.OperatorPolicy, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.Wallet() is { } wallet && operators.Contains(wallet)));
        services.AddMarketplaceRateLimits(rateLimits);

        services.AddSingleton(HardwareCatalogue.LoadDefault());
        services.AddMarketplaceProofOfWork(configuration);
        services.AddMarketplaceUptime(configuration);
        services.AddSingleton(Bind<StakingSettings>(configuration, StakingSettings.Section));
        services.TryAddSingleton<IDeviceEligibility, OperatorMarkedEligibility>();

        services.AddMarketplaceApiDocs();
        services.AddMarketplaceTelemetry(configuration);
        return builder;
    }

    public static WebApplication UseMarketplace(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<MarketplaceSettings>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimits(settings.MaxRequestBodyBytes);
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyKeys>();

        app.MapSignIn();
        app.MapHardware();
        app.MapDevices();
        app.MapDeviceOperator();
        app.MapCredits();
        app.MapOutboxOperator();
        app.MapOrders();
        app.MapMarket();
        app.MapQuotes();
        app.MapRentals();
        app.MapPayments();
        app.MapSettlement();
        app.MapClaims();
        app.MapProofOfWork();
        app.MapRewards();
        app.MapUptime();
        app.MapStaking();
        app.MapMarketplaceApiDocs();
        app.MapPrometheusScrapingEndpoint().DisableRateLimiting();
        return app;
    }

    /// <summary>The marketplace's async daemon lock (Marten's default, 4444, is the indexer's on the same database).</summary>
    public const int MarketplaceDaemonLockId = 0x10_4E_7C;

    private static T Bind<T>(IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();
}
