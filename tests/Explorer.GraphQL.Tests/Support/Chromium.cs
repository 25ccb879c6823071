using Microsoft.Playwright;

namespace IoNet.ExplorerGraphQL.Tests.Support;

/// <summary>
/// A class fixture: Debian's Chromium (/usr/bin/chromium, installed by `./ionet test`) driven headless by Playwright,
/// with every background service of the browser off (traffic only to the explorer on 127.0.0.1), and the folder the
/// screenshots go to: IONET_TEST_ARTIFACTS when set, else a fresh temporary folder.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Screenshots { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("IONET_TEST_ARTIFACTS") is { Length: > 0 } artifacts ? artifacts : Path.Combine(Path.GetTempPath(), $"ionet-explorer-{DateTime.UtcNow:yyyyMMdd-HHmmss}"),
        "explorer-screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: `./ionet test` installs Debian's chromium package (apt-get install chromium)");
        Directory.CreateDirectory(Screenshots);
        Console.Error.WriteLine($"explorer page screenshots: {Screenshots}");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                // No phoning home: component updates, safe browsing, metrics, sync, translation, field trials.
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps", "--disable-sync",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-first-run", "--no-pings",
                "--metrics-recording-only", "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
            ],
        });
    }

    /// <summary>A fresh browser context (desktop size unless told) whose pages are watched for errors.</summary>
    public async Task<IBrowserContext> ContextAsync(Uri baseUrl, bool javaScript = true, int width = 1360, int height = 900)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl.ToString(),
            JavaScriptEnabled = javaScript,
            ViewportSize = new() { Width = width, Height = height },
            ColorScheme = ColorScheme.Light,
        });
        // Playwright's 30 s defaults are a speed check in disguise: on a loaded 2-core CI machine a server-rendered page
        // took longer. These are guards against a hang only (the test platform's --timeout is the last one).
        context.SetDefaultTimeout(180_000);
        context.SetDefaultNavigationTimeout(180_000);
        return context;
    }

    public async Task ScreenshotAsync(IPage page, string name)
    {
        var file = Path.Combine(Screenshots, string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')) + ".png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {file}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        Playwright?.Dispose();
    }
}

/// <summary>
/// Everything that went wrong on a page while it was watched: console errors, uncaught page errors, failed requests and
/// responses of 400 or more (except the document responses the test expects to be 404).
/// </summary>
public sealed class PageWatch
{
    private readonly List<string> _problems = [];
    private readonly HashSet<string> _expected404 = new(StringComparer.Ordinal);

    public PageWatch(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            // The browser reports an intended 404 document as a console error too.
            if (message.Type == "error" && !(message.Text.Contains("status of 404", StringComparison.Ordinal) && _expected404.Any(p => message.Location.Contains(p, StringComparison.Ordinal))))
                Add($"console error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !(response.Status == 404 && response.Request.IsNavigationRequest && _expected404.Contains(Path(response.Url))))
                Add($"response {response.Status}: {response.Request.Method} {response.Url}");
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
                return [.. _problems];
        }
    }

    /// <summary>This path (and query) is meant to answer 404.</summary>
    public void Expect404(string pathAndQuery) => _expected404.Add(pathAndQuery);

    private void Add(string problem)
    {
        lock (_problems)
            _problems.Add(problem);
    }

    private static string Path(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.PathAndQuery : url;
}
