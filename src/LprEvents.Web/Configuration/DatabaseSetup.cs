using LprEvents.Web.Data;
using LprEvents.Web.Data.Seeding;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Configuration;

public static class DatabaseSetup
{
    public const string DefaultSqliteFile = "App_Data/lprevents.db";

    public static WebApplicationBuilder AddLprDatabase(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.SectionName);

        // The provider decides which services exist, so it is read once here, at composition time.
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var configured = builder.Configuration.GetConnectionString("Default");
        var contentRoot = builder.Environment.ContentRootPath;

        if (database.Provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                throw new InvalidOperationException(
                    "Database:Provider is SqlServer but ConnectionStrings:Default is empty (set ConnectionStrings__Default).");
            }

            services.AddDbContext<LprEventsDbContext>((sp, o) => o.UseSqlServer(configured, ConfigureSqlServer).AddInterceptors(sp.GetRequiredService<PublicCacheEviction>()));
        }
        else
        {
            var connectionString = WithBusyTimeout(ResolveSqliteConnectionString(configured, contentRoot), configured, database.SqliteBusyTimeoutSeconds);
            services.AddDbContext<LprEventsDbContext, SqliteLprEventsDbContext>((sp, o) => o.UseSqlite(connectionString, ConfigureSqlite).AddInterceptors(sp.GetRequiredService<PublicCacheEviction>()));
        }

        services.AddSingleton(TimeProvider.System);
        services.AddScoped<DatabaseSeeder>();
        services.AddDataProtection()
            .SetApplicationName("LprEvents")
            .PersistKeysToDbContext<LprEventsDbContext>();
        // Answers within DatabaseAvailability.ReadyTimeout whether the database is locked, gone or fine (ADR 0027).
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// SQL Server: transient faults (failover, a dropped connection, a deadlock victim) are retried a few times with
    /// short delays, so that a request does not fail for a moment's hiccup; every transaction the app begins runs
    /// inside the execution strategy for that (<see cref="Retries"/>, ADR 0026). The delays stay short so that a
    /// database that is really gone is reported quickly.
    /// </summary>
    public static void ConfigureSqlServer(SqlServerDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable("__EFMigrationsHistory")
            .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorNumbersToAdd: null);

    public static void ConfigureSqlite(SqliteDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable("__EFMigrationsHistory");

    /// <summary>
    /// A relative SQLite path is taken relative to the content root (not the working directory), and its
    /// folder is created, so that <c>dotnet run --project</c> works from anywhere.
    /// </summary>
    public static string ResolveSqliteConnectionString(string? configured, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? $"Data Source={DefaultSqliteFile}" : configured);
        if (csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
        }

        if (csb.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(csb.DataSource) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (IOException)
            {
                // Reported clearly by the startup check, which cannot open the database either.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }

        return csb.ToString();
    }

    /// <summary>
    /// The SQLite busy timeout (seconds a statement waits for a lock; Microsoft.Data.Sqlite's default is 30), unless
    /// the operator's connection string sets one.
    /// </summary>
    public static string WithBusyTimeout(string connectionString, string? configured, int seconds)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured ?? "" };
        if (given.ContainsKey("Default Timeout") || given.ContainsKey("DefaultTimeout") || given.ContainsKey("Command Timeout") || given.ContainsKey("CommandTimeout"))
        {
            return connectionString;
        }

        return new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = seconds }.ToString();
    }

    /// <summary>
    /// Migrates (where configured) and seeds. Returns false after logging one clear error when the database
    /// cannot be reached or migrated; Program then exits with a non-zero code. With a command on the command line
    /// (<see cref="Commands"/>) only the reference data is seeded, never demo content.
    /// </summary>
    public static async Task<bool> InitialiseDatabaseAsync(this WebApplication app, string[] args)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup).FullName!);
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = services.GetRequiredService<LprEventsDbContext>();
        try
        {
            if (database.ShouldMigrateOnStartup)
            {
                await db.Database.MigrateAsync();
            }

            if (db.Database.IsSqlite())
            {
                // WAL lets readers work while a registration writes; the mode is stored in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            // Demo content only where someone asked for it: in Development, or with Seed:Demo set. A production start
            // on the embedded SQLite default must not publish invented events.
            var seed = services.GetRequiredService<IOptions<SeedOptions>>().Value;
            var demo = !Commands.IsCommand(args) && (seed.Demo ?? app.Environment.IsDevelopment());
            await services.GetRequiredService<DatabaseSeeder>().SeedAsync(demo);
            return true;
        }
        catch (Exception ex)
        {
            // A startup guard: whatever stops the database from opening, the operator gets one clear line.
            logger.LogCritical(
                "Cannot reach or migrate the {Provider} database ({Error}: {Reason}). The application stops. Check ConnectionStrings:Default and Database:Provider (docs/operations.md).",
                database.Provider,
                ex.GetType().Name,
                ex.Message);
            return false;
        }
    }
}
