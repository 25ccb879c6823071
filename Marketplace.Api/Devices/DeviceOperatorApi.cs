using System.Security.Claims;
using IoNet.Marketplace.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Devices;

/// <summary>
/// Operator commands (wallets listed in Marketplace:OperatorWallets): mark devices eligible or not — the stand-in for
/// proof of work until its issue lands — and set statuses such as Blocked or Unsupported.
/// </summary>
public static class DeviceOperatorApi
{
    public static IEndpointRouteBuilder MapDeviceOperator(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator/devices").WithTags("Operator").RequireAuthorization(WalletPrincipal.OperatorPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/eligible", (Guid id, SetEligibilityRequest? request, ClaimsPrincipal user, [AsParameters] DevicesApi.Services s, CancellationToken ct) =>
                SetEligibility(id, true, request?.Reason ?? "marked eligible by an operator", user, s, ct))
            .WithSummary("Marks a device fit to be hired");
        group.MapPost("/{id}/ineligible", (Guid id, SetEligibilityRequest? request, ClaimsPrincipal user, [AsParameters] DevicesApi.Services s, CancellationToken ct) =>
                SetEligibility(id, false, request?.Reason ?? "marked ineligible by an operator", user, s, ct))
            .WithSummary("Marks a device unfit to be hired");
        group.MapPost("/{id}/status", ChangeStatus)
            .WithSummary("Sets a device's status (Idle, Down, Failed, Blocked, Unsupported or Inactive)");
        return app;
    }

    private static Task<Results<Ok<DeviceView>, ProblemHttpResult>> SetEligibility(
        Guid id, bool eligible, string reason, ClaimsPrincipal user, DevicesApi.Services s, CancellationToken ct) =>
        DevicesApi.ChangeAsync(id, s, state => DeviceDecisions.Decide(state, new SetDeviceEligibility(id, eligible, reason, user.RequireWallet(), s.Clock.GetUtcNow())), ct);

    private static Task<Results<Ok<DeviceView>, ProblemHttpResult>> ChangeStatus(
        Guid id, ChangeStatusRequest request, ClaimsPrincipal user, [AsParameters] DevicesApi.Services s, CancellationToken ct) =>
        DevicesApi.ChangeAsync(id, s, state => DeviceDecisions.Decide(state, new ChangeDeviceStatus(id, request.Status!.Value, request.Reason!, user.RequireWallet(), s.Clock.GetUtcNow())), ct);
}
