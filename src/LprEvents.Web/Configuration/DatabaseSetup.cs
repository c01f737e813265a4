using LprEvents.Web.Data;
using LprEvents.Web.Data.Seeding;
using LprEvents.Web.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Configuration;

public static class DatabaseSetup
{
    public const string DefaultSqliteFile = "App_Data/lprevents.db";

    public static WebApplicationBuilder AddLprDatabase(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .Validate(o => o.SqliteBusyTimeoutSeconds is >= 1 and <= 60, "Database:SqliteBusyTimeoutSeconds must be between 1 and 60.")
            .Validate(o => o.SqlServerConnectTimeoutSeconds is >= 1 and <= 120, "Database:SqlServerConnectTimeoutSeconds must be between 1 and 120.")
            .Validate(o => o.SqlServerCommandTimeoutSeconds is >= 1 and <= 3600, "Database:SqlServerCommandTimeoutSeconds must be between 1 and 3600.")
            .ValidateOnStart();
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

            // A web request answers within about 5 s when the server is unreachable or a lock is held (ADR 0027):
            // short connect timeout for all, and, for a context created while a request runs, a short command timeout
            // and retries bounded in time. Start-up migrations, background jobs and commands on the command line have
            // no request and may take their time.
            var connectionString = WithSqlServerConnectTimeout(configured, database.SqlServerConnectTimeoutSeconds);
            var operatorsCommandTimeout = SetsCommandTimeout(configured);
            services.AddDbContext<LprEventsDbContext>((sp, o) =>
            {
                var inRequest = sp.GetService<IHttpContextAccessor>()?.HttpContext is not null;
                o.UseSqlServer(connectionString, s =>
                {
                    ConfigureSqlServer(s, inRequest ? DatabaseAvailability.AnswerWithin : null);
                    if (!operatorsCommandTimeout)
                    {
                        s.CommandTimeout(inRequest ? database.SqlServerCommandTimeoutSeconds : DatabaseOptions.BackgroundCommandTimeoutSeconds);
                    }
                }).AddInterceptors(sp.GetRequiredService<PublicCacheEviction>());
            });
        }
        else
        {
            var connectionString = WithBusyTimeout(ResolveSqliteConnectionString(configured, contentRoot), configured, database.SqliteBusyTimeoutSeconds);
            // Every commit and every statement outside a transaction first checks that the file is still the one at its path.
            services.AddSingleton<DatabaseFileInterceptor>();
            services.AddDbContext<LprEventsDbContext, SqliteLprEventsDbContext>((sp, o) => o.UseSqlite(connectionString, ConfigureSqlite)
                .AddInterceptors(sp.GetRequiredService<PublicCacheEviction>(), sp.GetRequiredService<DatabaseFileInterceptor>()));
        }

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseFileGuard>();
        services.AddScoped<DatabaseSeeder>();
        services.AddDataProtection()
            .SetApplicationName("LprEvents")
            .PersistKeysToDbContext<LprEventsDbContext>();
        // Answers within DatabaseAvailability.ReadyTimeout whether the database is locked, gone, moved, read-only or fine (ADR 0027, 0028).
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// SQL Server: transient faults (failover, a dropped connection, a deadlock victim) are retried a few times with
    /// short delays, so that a request does not fail for a moment's hiccup; every transaction the app begins runs
    /// inside the execution strategy for that (<see cref="Retries"/>, ADR 0026). With a <paramref name="budget"/> a
    /// retry is made only while its answer can still come within it (<see cref="BoundedSqlServerRetries"/>), so that a
    /// database that is really gone is reported within the budget.
    /// </summary>
    public static void ConfigureSqlServer(SqlServerDbContextOptionsBuilder options, TimeSpan? budget)
    {
        options.MigrationsHistoryTable("__EFMigrationsHistory")
            .EnableRetryOnFailure(maxRetryCount: BoundedSqlServerRetries.Retries, maxRetryDelay: BoundedSqlServerRetries.LongestDelay, errorNumbersToAdd: null);
        if (budget is { } within)
        {
            options.ExecutionStrategy(dependencies => new BoundedSqlServerRetries(dependencies, within));
        }
    }

    /// <summary>The same without a time budget (design time, the migrations and the T-SQL tests).</summary>
    public static void ConfigureSqlServer(SqlServerDbContextOptionsBuilder options) => ConfigureSqlServer(options, null);

    /// <summary>
    /// SQL Server's connect timeout (SqlClient's default is 15 s), unless the operator's connection string sets one or
    /// the setting is out of range (options validation reports that): a request waits at most this long for an
    /// unreachable server, then answers 503 (ADR 0027).
    /// </summary>
    public static string WithSqlServerConnectTimeout(string configured, int connectSeconds)
    {
        if (connectSeconds < 1 || Sets(configured, "Connect Timeout", "Connection Timeout", "Timeout", "ConnectTimeout"))
        {
            return configured;
        }

        return new SqlConnectionStringBuilder(configured) { ConnectTimeout = connectSeconds }.ConnectionString;
    }

    /// <summary>Whether the operator's SQL Server connection string sets <c>Command Timeout</c> (then it applies everywhere).</summary>
    public static bool SetsCommandTimeout(string configured) => Sets(configured, "Command Timeout");

    /// <summary>Whether the operator's connection string sets one of <paramref name="keys"/> (any provider; case-insensitive).</summary>
    private static bool Sets(string? configured, params string[] keys)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured ?? "" };
        return keys.Any(given.ContainsKey);
    }

    public static void ConfigureSqlite(SqliteDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable("__EFMigrationsHistory");

    /// <summary>
    /// A relative SQLite path is taken relative to the content root (not the working directory), so that
    /// <c>dotnet run --project</c> works from anywhere. The file is opened with <c>Mode=ReadWrite</c> unless the
    /// operator's connection string sets a mode: an existing file only, so that a file deleted or renamed under the
    /// running app is never replaced by an empty one. Creating it is <see cref="InitialiseDatabaseAsync"/>'s, and
    /// only when asked for (docs/decisions/0028).
    /// </summary>
    public static string ResolveSqliteConnectionString(string? configured, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? $"Data Source={DefaultSqliteFile}" : configured);
        if (csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
        }

        if (!Sets(configured, "Mode"))
        {
            csb.Mode = SqliteOpenMode.ReadWrite;
        }

        return csb.ToString();
    }

    /// <summary>
    /// The SQLite busy timeout (seconds a statement waits for a lock; Microsoft.Data.Sqlite's default is 30), unless
    /// the operator's connection string sets one.
    /// </summary>
    public static string WithBusyTimeout(string connectionString, string? configured, int seconds)
    {
        if (Sets(configured, "Default Timeout", "DefaultTimeout", "Command Timeout", "CommandTimeout"))
        {
            return connectionString;
        }

        return new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = seconds }.ToString();
    }

    /// <summary>
    /// Checks that the database exists, creates it where asked for, migrates (where configured) and seeds. Returns
    /// false after logging one clear critical line when the database is missing (and may not be created), cannot be
    /// reached or cannot be migrated; Program then exits with a non-zero code. A missing database is created only in
    /// Development, with <c>Database:CreateIfMissing=true</c>, or by the <c>init</c> command (docs/decisions/0028).
    /// With a command on the command line (<see cref="Commands"/>) only the reference data is seeded, never demo content.
    /// </summary>
    public static async Task<bool> InitialiseDatabaseAsync(this WebApplication app, string[] args)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup).FullName!);
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = services.GetRequiredService<LprEventsDbContext>();
        var init = Commands.IsInit(args);
        if (db.Database.IsSqlite())
        {
            // Migrating writes (EF's migration lock, BEGIN IMMEDIATE): beside a site busy writing, the start of the app
            // or of a command (backup from cron) waits for the lock instead of failing after a web request's 3 s.
            // Default Timeout covers BEGIN, the command timeout each statement. Unpooled, so that no connection of the
            // start stays open on the file beside the app's pool (ADR 0028). SQL Server: long timeouts outside requests.
            var startup = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
            startup.DefaultTimeout = Math.Max(startup.DefaultTimeout, DatabaseOptions.StartupLockWaitSeconds);
            db.Database.SetConnectionString(startup.ToString());
            db.Database.SetCommandTimeout(startup.DefaultTimeout);
        }

        var mayCreate = init || (database.CreateIfMissing ?? app.Environment.IsDevelopment());
        try
        {
            var missing = await MissingDatabaseAsync(db);
            if (missing is not null && !mayCreate)
            {
                logger.LogCritical(
                    "{Missing:l}. The application stops and creates nothing. Restore the database from a backup (docs/operations.md, \"The database file\"), or, for a first install, run the init command (dotnet LprEvents.Web.dll init) or start once with Database__CreateIfMissing=true.",
                    missing);
                return false;
            }

            if (missing is not null)
            {
                CreateSqliteFile(db);
                // Asked for with init: information. Otherwise a warning, in case the operator expected an existing database.
                logger.Log(
                    init ? LogLevel.Information : LogLevel.Warning,
                    "{Missing:l}: creating a new, empty database ({Reason:l}).",
                    missing,
                    init ? "init command" : database.CreateIfMissing is null ? "Development" : "Database:CreateIfMissing");
            }

            // On SQL Server migrating creates a missing database: only when creating was allowed above.
            if (database.ShouldMigrateOnStartup || missing is not null || init)
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

    /// <summary>
    /// Null when the database exists (and, for SQLite, holds this app's migrations history); otherwise what is
    /// missing, for the log. Opens nothing that could create a file: SQLite is asked only after the file was found.
    /// </summary>
    private static async Task<string?> MissingDatabaseAsync(LprEventsDbContext db)
    {
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
            if (file.Mode == SqliteOpenMode.Memory || file.DataSource == ":memory:")
            {
                return null;
            }

            if (!File.Exists(file.DataSource))
            {
                return $"The SQLite database file {file.DataSource} does not exist";
            }

            // An empty file, or another program's, is not this app's database: it is not migrated into silently.
            return (await db.Database.GetAppliedMigrationsAsync()).Any()
                ? null
                : $"The SQLite database file {file.DataSource} holds no LprEvents database (no migrations history)";
        }

        // SQL Server: a missing database (or one this login may not open) is never created without being asked to.
        var connection = new SqlConnectionStringBuilder(db.Database.GetConnectionString());
        return await db.GetService<IRelationalDatabaseCreator>().ExistsAsync()
            ? null
            : $"The SQL Server database {connection.InitialCatalog} on {connection.DataSource} does not exist (or this login may not open it)";
    }

    /// <summary>Creates the SQLite file (and its folder), empty, for the migrations that follow; SQL Server's are created by them.</summary>
    private static void CreateSqliteFile(LprEventsDbContext db)
    {
        if (!db.Database.IsSqlite())
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        if (Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
    }
}
