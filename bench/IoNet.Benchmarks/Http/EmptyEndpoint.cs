using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IoNet.Benchmarks.Http;

/// <summary>
/// The floor: an ASP.NET Core app with one POST endpoint that does nothing (no body read, 200 with no content), run as
/// its own process like the API, so both pay the same Kestrel, loopback and client costs.
/// </summary>
public sealed class EmptyEndpointTarget(string body) : IHttpLoadTarget
{
    public const string Path = "/empty";

    public string Name => "empty ASP.NET endpoint";

    public Task PrepareAsync(IReadOnlyList<HttpClient> workers, CancellationToken cancellationToken) => Task.CompletedTask;

    public HttpRequestMessage CreateRequest(int worker, long sequence) => new(HttpMethod.Post, Path)
    {
        Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
    };

    /// <summary>`IoNet.Benchmarks http-empty-endpoint URL`: serves the empty endpoint until killed.</summary>
    public static async Task<int> ServeAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapPost(Path, () => TypedResults.Ok());
        app.MapGet("/health", () => TypedResults.Ok());
        await app.RunAsync();
        return 0;
    }
}
