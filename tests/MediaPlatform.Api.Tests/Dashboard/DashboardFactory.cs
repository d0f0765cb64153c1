using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaPlatform.Api.Tests.Dashboard;

/// <summary>
/// The service with its workers, listening on a real loopback port (Kestrel, not the in-memory test server) so a real
/// browser can open it, and Debian's chromium driven by Playwright (its own browser download cannot be reached here).
/// </summary>
public sealed class DashboardFactory : ProcessingFactory
{
    /// <summary>Debian's chromium package (build/test.sh installs it).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the page is served (http://127.0.0.1:port).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Screenshots of each screen, under the test output (not committed).</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(0);
        StartServer();
        BaseAddress = ClientOptions.BaseAddress;
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (build/test.sh does).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container has no user namespace for chromium's sandbox; autoplay so a click plays at once.
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    protected override async Task DisposeDependenciesAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await base.DisposeDependenciesAsync();
    }
}
