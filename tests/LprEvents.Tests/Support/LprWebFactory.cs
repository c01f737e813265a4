using LprEvents.Web.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace LprEvents.Tests.Support;

/// <summary>
/// The real application on a fresh SQLite file (real migrations, real seeder) in a temporary folder, with a
/// clock the tests control. Shared by the in-process HTTP tests and, with Kestrel, by the browser tests.
/// </summary>
public class LprWebFactory : WebApplicationFactory<Program>
{
    /// <summary>Tuesday, 10 March 2026, 10:00 in Berlin: demo events are placed relative to this date.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The public address the app is configured with; the test client talks to it under that name.</summary>
    public const string DefaultPublicBaseUrl = "https://veranstaltungen.test";

    private readonly string _publicBaseUrl = DefaultPublicBaseUrl;

    public LprWebFactory()
    {
        Folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        ClientOptions.BaseAddress = new Uri(_publicBaseUrl);
    }

    /// <summary><c>Site:PublicBaseUrl</c>; outside Development only this host is served (others get 400).</summary>
    public string PublicBaseUrl
    {
        get => _publicBaseUrl;
        init
        {
            _publicBaseUrl = value;
            ClientOptions.BaseAddress = new Uri(value);
        }
    }

    /// <summary>
    /// Like the base method, but a client left at the default address (http://localhost) talks to
    /// <see cref="PublicBaseUrl"/> instead: outside Development any other host name is refused with 400.
    /// </summary>
    public new HttpClient CreateClient(WebApplicationFactoryClientOptions options)
    {
        if (options.BaseAddress == new Uri("http://localhost"))
        {
            options.BaseAddress = new Uri(PublicBaseUrl);
        }

        return base.CreateClient(options);
    }

    /// <summary>"Testing" by default: not Development, so the production rules (required https base URL, host filtering) apply.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    public FakeTimeProvider Time { get; } = new(Start);

    public string Folder { get; }

    /// <summary>Another factory's database file: two app instances on one database.</summary>
    public string? SharedDatabasePath { get; init; }

    public string DatabasePath => SharedDatabasePath ?? Path.Combine(Folder, "data", "lprevents.db");

    /// <summary>The pickup folder: every e-mail the app sends lands here as an .eml file.</summary>
    public string MailFolder => Path.Combine(Folder, "mail");

    /// <summary>High by default so that tests from one address are not throttled; the rate-limit test lowers it.</summary>
    public int RateLimitPermits { get; init; } = 10000;

    /// <summary>Middleware placed before the whole pipeline, e.g. to give requests a client address (the test server has none).</summary>
    public Action<IApplicationBuilder>? BeforePipeline { get; init; }

    /// <summary>Services a test adds or replaces after the app's own (an interceptor, a fake).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary><c>Seed:Demo</c>; null leaves the key unset, so that the application's own default applies.</summary>
    public bool? SeedDemo { get; init; } = true;

    /// <summary>More configuration for one test's application (e.g. SMTP instead of the pickup folder).</summary>
    public Dictionary<string, string> ExtraSettings { get; } = [];

    protected virtual string Provider => "Sqlite";

    protected virtual string ConnectionString => $"Data Source={DatabasePath}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Site:PublicBaseUrl", PublicBaseUrl);
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "true");
        // A fresh file per factory: outside Development the app creates a missing database only when asked to.
        builder.UseSetting("Database:CreateIfMissing", "true");
        if (SeedDemo is { } demo)
        {
            builder.UseSetting("Seed:Demo", demo ? "true" : "false");
        }

        builder.UseSetting("Media:RootPath", Path.Combine(Folder, "media"));
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("BackgroundJobs:Enabled", "false");
        builder.UseSetting("Registration:RateLimitPermits", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Serilog's keys go in as app configuration: as host settings (UseSetting) their parent sections read as
        // empty strings, which Serilog's configuration reader takes for sink names.
        var logging = new Dictionary<string, string?>
        {
            ["Serilog:WriteTo:1:Args:configure:0:Args:path"] = Path.Combine(Folder, "logs", "lprevents-.log"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.DataProtection"] = "Error",
            // The start-up warning about missing proxy settings is for operators; the test app has no proxy.
            ["Serilog:MinimumLevel:Override:LprEvents.Web.Configuration.MvcSetup"] = "Error",
            // EF's one-time note that SQLite rebuilds a table outside the migration's transaction (SafeToPutOnline).
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Migrations"] = "Error",
        };
        foreach (var (key, value) in ExtraSettings.Where(kv => kv.Key.StartsWith("Serilog:", StringComparison.Ordinal)))
        {
            logging[key] = value;
        }

        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(logging));
        // Last, so that a test's own settings win.
        foreach (var (key, value) in ExtraSettings.Where(kv => !kv.Key.StartsWith("Serilog:", StringComparison.Ordinal)))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            if (Provider == "Sqlite")
            {
                // As strict as SQL Server with retries on: a transaction begun outside the execution strategy fails.
                services.ConfigureDbContext<SqliteLprEventsDbContext>(o => o.UseSqlite(sqlite => sqlite.ExecutionStrategy(d => new StrictExecutionStrategy(d))));
            }

            if (BeforePipeline is { } before)
            {
                services.AddSingleton<IStartupFilter>(new BeforePipelineFilter(before));
            }

            TestServices?.Invoke(services);
        });
    }

    /// <summary>A DbContext on the application's database, for arranging data and checking rows.</summary>
    public AsyncServiceScopeContext CreateDbScope()
    {
        var scope = Services.CreateAsyncScope();
        return new AsyncServiceScopeContext(scope, scope.ServiceProvider.GetRequiredService<LprEventsDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow machine: the temp folder is cleaned by the OS.
            }
        }
    }
}

internal sealed class BeforePipelineFilter(Action<IApplicationBuilder> before) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        before(app);
        next(app);
    };
}

public sealed class AsyncServiceScopeContext(AsyncServiceScope scope, LprEventsDbContext db) : IAsyncDisposable
{
    public LprEventsDbContext Db { get; } = db;

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
