using System.ComponentModel.DataAnnotations;
using IoNet.Marketplace.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Chain;

/// <summary>What the outbox holds, for operators: stuck intents (their last error, every signature they had) and finished ones.</summary>
public static class OutboxOperatorApi
{
    public static IEndpointRouteBuilder MapOutboxOperator(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/operator/outbox").WithTags("Operator").RequireAuthorization(WalletPrincipal.OperatorPolicy)
            .MapGet("/", List).WithSummary("Outbox intents, oldest first, by state (Pending, Signed, Done) and kind (credits, …)");
        return app;
    }

    /// <summary>An intent without its transaction bytes.</summary>
    public sealed record OutboxIntentView(
        string Key, string Kind, string? Owner, string Payload, OutboxState State, int Attempt, string? Signature, ulong? LastValidBlockHeight,
        int Sends, DateTimeOffset? SentAt, ulong? LandedSlot, IReadOnlyList<string> Signatures, string? LastError, DateTimeOffset CreatedAt,
        DateTimeOffset NextTryAt, DateTimeOffset? CompletedAt, string? DoneSignature)
    {
        public static OutboxIntentView Of(OutboxIntent i) => new(i.Key, i.Kind, i.Owner, i.Payload, i.State, i.Attempt, i.Signature,
            i.LastValidBlockHeight, i.Sends, i.SentAt, i.LandedSlot, i.Signatures, i.LastError, i.CreatedAt, i.NextTryAt, i.CompletedAt, i.DoneSignature);
    }

    public sealed record OutboxPage(IReadOnlyList<OutboxIntentView> Items);

    private static async Task<Ok<OutboxPage>> List(
        TransactionOutbox outbox, CancellationToken ct, OutboxState? state = null, [StringLength(40)] string? kind = null, [Range(1, 500)] int limit = 100) =>
        TypedResults.Ok(new OutboxPage((await outbox.ListAsync(state, kind, limit, ct)).Select(OutboxIntentView.Of).ToList()));
}
