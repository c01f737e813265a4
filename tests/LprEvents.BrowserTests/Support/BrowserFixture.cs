using LprEvents.Tests.Support;
using Microsoft.Playwright;

namespace LprEvents.BrowserTests.Support;

/// <summary>
/// The real application on Kestrel (a real port on 127.0.0.1) and Debian's Chromium driven by Playwright.
/// Chromium is never downloaded: where it is missing the tests skip with a reason, except under CI.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("LPR_CHROMIUM") ?? "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private LprWebFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The application under test: its services (outbox, clock) and its mail folder.</summary>
    public LprWebFactory Factory => _factory ?? throw new InvalidOperationException("Chromium is missing; the app was not started.");

    public Uri BaseAddress { get; private set; } = null!;

    public static bool ChromiumAvailable => File.Exists(ChromiumPath);

    public static bool RunningUnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!ChromiumAvailable)
        {
            return;
        }

        // The links in e-mails come from Site:PublicBaseUrl, so the port is chosen first. Development: Kestrel
        // serves plain http here, which the production rules (https base URL, Secure cookies) refuse.
        var port = FreeLoopbackPort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _factory = new LprWebFactory { PublicBaseUrl = BaseAddress.ToString(), EnvironmentName = "Development" };
        _factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        _factory.StartServer();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Skips the calling test where Chromium is absent on a developer machine; fails under CI.</summary>
    public static void RequireBrowser()
    {
        if (RunningUnderCi)
        {
            Assert.True(ChromiumAvailable, $"CI=true but Chromium is missing at {ChromiumPath}: .ci/run installs Debian's chromium package.");
        }

        Assert.SkipUnless(ChromiumAvailable, $"Chromium not found at {ChromiumPath} (apt-get install chromium, or set LPR_CHROMIUM).");
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            Locale = "de-DE",
            JavaScriptEnabled = javaScript,
        });
        // dotnet test runs this project beside the unit tests, whose process tests (several app instances, nginx,
        // 200 registrations, a killed app) load both cores: a page may take longer than Playwright's 30 s default.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
