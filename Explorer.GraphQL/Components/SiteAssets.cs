using System.Security.Cryptography;

namespace IoNet.Explorer.Components;

/// <summary>
/// The pages' stylesheet, embedded in the assembly (so the explorer serves it from any working folder, offline) and
/// addressed by its hash: cached for a year, never stale.
/// </summary>
public static class SiteAssets
{
    private static readonly byte[] Stylesheet = Read("site.css");

    private static readonly string Hash = Convert.ToHexStringLower(SHA256.HashData(Stylesheet))[..12];

    public static string StylesheetUrl { get; } = "/site.css?v=" + Hash;

    /// <summary>A favicon without a request (browsers ask for /favicon.ico otherwise).</summary>
    public const string IconDataUrl =
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%232563eb'/%3E%3Ctext x='16' y='22' font-size='16' font-family='sans-serif' font-weight='700' text-anchor='middle' fill='white'%3Eio%3C/text%3E%3C/svg%3E";

    public static IEndpointRouteBuilder MapSiteAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/site.css", (HttpContext http) =>
        {
            var etag = $"\"{Hash}\"";
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = http.Request.Query["v"] == Hash ? "public, max-age=31536000, immutable" : "no-cache";
            return http.Request.Headers.IfNoneMatch == etag ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Bytes(Stylesheet, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    public static byte[] Read(string resource)
    {
        using var stream = typeof(SiteAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
