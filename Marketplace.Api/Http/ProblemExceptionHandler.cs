using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IoNet.Marketplace.Http;

/// <summary>
/// Turns every exception that reaches the pipeline into ProblemDetails: a request the server could not read (bad JSON,
/// wrong types, a body too large, an unbindable route value) keeps its 4xx status and says why; anything else is a
/// 500 that says nothing about the server's inside.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, Title(bad.StatusCode), Describe(bad)),
            JsonException json => (StatusCodes.Status400BadRequest, "Malformed JSON", json.Message),
            // Two writers appended to the same stream at once; the loser's decision was made on a stale state.
            JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException =>
                (StatusCodes.Status409Conflict, "Conflict", "The resource changed while the request was decided; send it again."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled."),
            // The Solana node did not answer, or the network's address file is not there yet (the localnet is starting).
            IoNet.Solana.SolanaException => (StatusCodes.Status503ServiceUnavailable, "Chain unavailable", "The Solana node or the network's addresses are unavailable right now; try again."),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error", "The server failed to handle the request; it is logged."),
        };
        if (status >= 500)
            log.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
        if (context.Response.HasStarted)
            return false;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    // The binder's message names the parameter; its inner JsonException names the JSON path and the expected type.
    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;

    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status408RequestTimeout => "Request timeout",
        _ => "Bad request",
    };
}
