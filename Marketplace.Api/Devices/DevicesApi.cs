using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IoNet.Ledger.Devices;
using IoNet.Marketplace.Http;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Devices;

/// <summary>Register devices, read them, pause and resume them (the owner only).</summary>
public static class DevicesApi
{
    public static IEndpointRouteBuilder MapDevices(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").WithTags("Devices");
        group.MapPost("/", Register).RequireAuthorization(WalletPrincipal.WalletPolicy).WithIdempotencyKey()
            .WithSummary("Registers a device owned by the signed-in wallet");
        group.MapGet("/mine", Mine).RequireAuthorization(WalletPrincipal.WalletPolicy)
            .WithSummary("The signed-in wallet's devices, oldest first");
        group.MapGet("/{id}", Get).AllowAnonymous()
            .WithSummary("A device's public view: hardware, place, tiers, status and whether it may be hired");
        group.MapPost("/{id}/pause", Pause).RequireAuthorization(WalletPrincipal.WalletPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Takes the device off the market (not while it is hired)");
        group.MapPost("/{id}/resume", Resume).RequireAuthorization(WalletPrincipal.WalletPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Puts a paused device back on the market");
        return app;
    }

    public sealed record Services(IDocumentStore Store, HardwareCatalogue Catalogue, IDeviceEligibility Eligibility, TimeProvider Clock, MarketplaceMetrics Metrics);

    private static async Task<Results<Created<DeviceView>, ValidationProblem>> Register(
        RegisterDeviceRequest request, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        if (request.CatalogueErrors(s.Catalogue) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors);
        var now = s.Clock.GetUtcNow();
        var command = new RegisterDevice(Guid.CreateVersion7(now), user.RequireWallet(),
            request.GpuModel is null ? null : s.Catalogue.Gpu(request.GpuModel)!.Id, request.GpuCount,
            s.Catalogue.Cpu(request.CpuClass!)!.Id, request.RamGiB!.Value, request.Country!, request.City!,
            request.Connectivity!.Value, request.Security!.Value, now);
        var events = DeviceDecisions.Decide(command).Events;
        await using (var session = s.Store.LightweightSession())
        {
            session.Events.StartStream<Device>(Device.StreamKey(command.Device), events);
            await session.SaveChangesAsync(ct);
        }
        s.Metrics.DeviceRegistered();
        var device = Device.Replay(events)!;
        return TypedResults.Created($"/api/devices/{command.Device}", DeviceView.Of(device, await s.Eligibility.CheckAsync(device, now, ct)));
    }

    private static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Get(Guid id, [AsParameters] Services s, CancellationToken ct)
    {
        await using var session = s.Store.QuerySession();
        var device = await session.LoadAsync<Device>(Device.StreamKey(id), ct);
        return device is null
            ? ApiProblems.NotFound($"No device {id} is registered.")
            : TypedResults.Ok(DeviceView.Of(device, await s.Eligibility.CheckAsync(device, s.Clock.GetUtcNow(), ct)));
    }

    private static async Task<Ok<DevicePage>> Mine(
        ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct,
        [Range(0, 1_000_000)] int offset = 0, [Range(1, 200)] int limit = 50)
    {
        var wallet = user.RequireWallet();
        await using var session = s.Store.QuerySession();
        var devices = await session.Query<Device>().Where(d => d.Owner == wallet)
            .OrderBy(d => d.RegisteredAt).ThenBy(d => d.Id).Skip(offset).Take(limit).ToListAsync(ct);
        var now = s.Clock.GetUtcNow();
        var views = new List<DeviceView>(devices.Count);
        foreach (var d in devices)
            views.Add(DeviceView.Of(d, await s.Eligibility.CheckAsync(d, now, ct)));
        return TypedResults.Ok(new DevicePage(views, offset, limit, devices.Count == limit ? offset + limit : null));
    }

    private static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Pause(Guid id, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct) =>
        ChangeAsync(id, s, state => DeviceDecisions.Decide(state, new PauseDevice(id, user.RequireWallet(), s.Clock.GetUtcNow())), ct);

    private static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Resume(Guid id, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct) =>
        ChangeAsync(id, s, state => DeviceDecisions.Decide(state, new ResumeDevice(id, user.RequireWallet(), s.Clock.GetUtcNow())), ct);

    /// <summary>Load the stream, decide, append (optimistic: a concurrent append to the same device makes this a 409).</summary>
    internal static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> ChangeAsync(
        Guid id, Services s, Func<Device?, DeviceDecision> decide, CancellationToken ct)
    {
        await using var session = s.Store.LightweightSession();
        var stream = await session.Events.FetchForWriting<Device>(Device.StreamKey(id), ct);
        var decision = decide(stream.Aggregate);
        if (decision.Rejection is { } rejection)
        {
            return rejection switch
            {
                DeviceRejection.NotFound => ApiProblems.NotFound(decision.Detail!),
                DeviceRejection.NotOwner => ApiProblems.Forbidden(decision.Detail!),
                DeviceRejection.Invalid => ApiProblems.BadRequest(decision.Detail!),
                _ => ApiProblems.Conflict(decision.Detail!),
            };
        }
        var device = stream.Aggregate!;
        if (decision.Events.Count > 0)
        {
            stream.AppendMany(decision.Events);
            await session.SaveChangesAsync(ct);
            device = decision.Events.Aggregate((Device?)device, Device.After)!;
        }
        return TypedResults.Ok(DeviceView.Of(device, await s.Eligibility.CheckAsync(device, s.Clock.GetUtcNow(), ct)));
    }
}
