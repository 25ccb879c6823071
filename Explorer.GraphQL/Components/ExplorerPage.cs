using IoNet.Explorer.Reads;
using Microsoft.AspNetCore.Components;

namespace IoNet.Explorer.Components;

/// <summary>
/// What every explorer page shares (static SSR): the request, answering 404 or 400 with a friendly page instead of
/// content, and Relay page requests from the query string (<c>after</c>, <c>before</c>, <c>size</c>).
/// </summary>
public abstract class ExplorerPage : ComponentBase
{
    public const int DefaultPageSize = 25;

    public const int MaxPageSize = 100;

    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "after")]
    public string? After { get; set; }

    [SupplyParameterFromQuery(Name = "before")]
    public string? Before { get; set; }

    [SupplyParameterFromQuery(Name = "size")]
    public int? Size { get; set; }

    /// <summary>Set when the page has nothing under its address (the response is a 404).</summary>
    protected bool Missing { get; private set; }

    /// <summary>Set when the request itself is wrong, e.g. a damaged page link (the response is a 400).</summary>
    protected string? Problem { get; private set; }

    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;

    protected void NotFound()
    {
        Missing = true;
        // Set as the response starts: a page that ends with status 404 is sent without its body by .NET 10's static
        // renderer (it expects a re-executed not-found page); this page has its own, more precise message.
        if (HttpContext is { Response.HasStarted: false } http)
        {
            http.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }, http.Response);
        }
    }

    protected void BadRequest(string message)
    {
        Problem = message;
        if (HttpContext is { Response.HasStarted: false } http)
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    protected int PageSize => Math.Clamp(Size ?? DefaultPageSize, 1, MaxPageSize);

    /// <summary>The page asked for: forwards after a cursor, backwards before one, else the first page.</summary>
    protected PageRequest PageFor(string cursorKind) =>
        PageRequest.From(Before is null ? PageSize : null, Before is null ? After : null, Before is null ? null : PageSize, Before, cursorKind, DefaultPageSize, MaxPageSize);

    /// <summary>Runs a read; a caller's mistake (a damaged cursor) becomes a 400 page instead of an error.</summary>
    protected async Task<T?> ReadAsync<T>(Func<CancellationToken, Task<T>> read) where T : class
    {
        try
        {
            return await read(Aborted);
        }
        catch (ReadException e)
        {
            BadRequest(e.Message);
            return null;
        }
    }
}
