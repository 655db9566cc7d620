using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// Debian's Chromium, driven by Playwright (which never downloads a browser here): headless, with a
/// fresh profile, and without the background traffic a closed network refuses. test.sh installs
/// Chromium when it is missing; without it these tests fail, they never skip.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<Browser> StartAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"The console's browser tests need Chromium at {Chromium}: run ./test.sh, which installs it (apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return new Browser(playwright, browser);
    }

    /// <summary>A new page in a context of its own (its own cookies), <paramref name="width"/> pixels wide, against <paramref name="server"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri server, int width = 1280)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
