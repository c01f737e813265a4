using LprEvents.Web.Data;
using LprEvents.Web.Services.Backups;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Backups and restore of the SQLite database and the media folder (docs/decisions/0029): the <c>backup</c> command,
/// scheduled backups, their health check, and the early hook for <c>restore</c> and the running site's lock.
/// </summary>
public static class BackupSetup
{
    public const string SqlServerExplanation =
        "The database is SQL Server: use its native backups (BACKUP DATABASE … TO DISK, or the DBA's maintenance plan) and back up the media folder and the configuration beside them; see docs/operations.md, \"Backup and restore\".";

    public static WebApplicationBuilder AddLprBackup(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BackupFiles>();
        services.AddSingleton<SqliteBackup>();
        services.AddSingleton<BackupScheduler>();
        services.AddHealthChecks().AddCheck<BackupHealthCheck>(BackupHealthCheck.Name, tags: ["ready"]);

        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var scheduled = !string.IsNullOrWhiteSpace(builder.Configuration[BackupOptions.SectionName + ":Schedule"]);
        if (scheduled && database.Provider == DatabaseProvider.Sqlite && builder.Configuration.GetValue(BackgroundJobOptions.SectionName + ":Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<BackupScheduler>());
        }

        return builder;
    }

    /// <summary>
    /// Runs before the database is opened or migrated. <c>restore FROM</c> runs here and returns its exit code; for the
    /// site itself (no command) the shared <see cref="SiteLock"/> is taken for the app's lifetime, and the start is
    /// refused while a restore holds the file. Null: go on.
    /// </summary>
    public static Task<int?> RunOfflineCommandAsync(this WebApplication app, string[] args)
    {
        var files = app.Services.GetRequiredService<BackupFiles>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BackupSetup).FullName!);
        switch (args)
        {
            case ["backup" or "restore", ..] when !files.IsSqlite:
                // Before the database is opened: the explanation needs no server.
                Console.Error.WriteLine($"{(args[0] == "backup" ? "Backup" : "Restore")} refused. " + SqlServerExplanation);
                return Task.FromResult<int?>(SqliteRestore.Usage);
            case ["restore", var from]:
                return Task.FromResult<int?>(Restore(app, files, from));
            case ["restore", ..]:
                Console.Error.WriteLine("Usage: restore FROM (a backup folder, or the .db file in it)");
                return Task.FromResult<int?>(SqliteRestore.Usage);
        }

        if (!Commands.IsCommand(args) && files.DatabasePath is { } databasePath
            && Directory.Exists(Path.GetDirectoryName(databasePath)) && !HoldSiteLock(app, databasePath, logger))
        {
            return Task.FromResult<int?>(1);
        }

        return Task.FromResult<int?>(null);
    }

    /// <summary>
    /// After a first start created the database (and its folder), the site takes its lock now; otherwise it holds it
    /// since <see cref="RunOfflineCommandAsync"/>. False when a restore holds the file.
    /// </summary>
    public static bool HoldSiteLockAfterInitialisation(this WebApplication app, string[] args)
    {
        var files = app.Services.GetRequiredService<BackupFiles>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BackupSetup).FullName!);
        return Commands.IsCommand(args) || files.DatabasePath is not { } databasePath || HoldSiteLock(app, databasePath, logger);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<WebApplication, SiteLock> Held = [];

    /// <summary>Takes the site's shared lock for the app's lifetime (once); false when a restore holds the file.</summary>
    private static bool HoldSiteLock(WebApplication app, string databasePath, ILogger logger)
    {
        if (Held.TryGetValue(app, out _))
        {
            return true;
        }

        SiteLock? held;
        try
        {
            // Never creates the database's folder: a missing one is the database check's to report (or to create, asked to).
            held = SiteLock.TryShared(databasePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder is unusable: the database initialisation reports that clearly.
            logger.LogWarning("Cannot create the lock file {Lock} ({Reason}); restore cannot tell whether the site runs", SiteLock.PathFor(databasePath), ex.Message);
            return true;
        }

        if (held is null)
        {
            logger.LogCritical(
                "A restore is running on {Database} ({Lock} is locked exclusively). The application stops; start it again when the restore has finished",
                databasePath,
                SiteLock.PathFor(databasePath));
            return false;
        }

        Held.AddOrUpdate(app, held);
        // Released when the app stops, or by the kernel when the process ends.
        app.Lifetime.ApplicationStopped.Register(held.Dispose);
        return true;
    }

    private static int Restore(WebApplication app, BackupFiles files, string from)
    {
        if (files.DatabasePath is not { } databasePath)
        {
            Console.Error.WriteLine("Restore refused: the database is not a SQLite file (an in-memory database?). Check ConnectionStrings:Default.");
            return SqliteRestore.Usage;
        }

        using var scope = app.Services.CreateScope();
        var known = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>().Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var result = SqliteRestore.Run(from, databasePath, files.MediaRoot, known, DateTime.UtcNow);
        foreach (var line in result.Lines)
        {
            (result.ExitCode == SqliteRestore.Ok ? Console.Out : Console.Error).WriteLine(line);
        }

        return result.ExitCode;
    }

    /// <summary>The <c>backup [--to DIR]</c> command: exit 0 with the folder written, or non-zero with one line why.</summary>
    public static async Task<int> BackupCommandAsync(WebApplication app, string[] options)
    {
        string? to = null;
        switch (options)
        {
            case []:
                break;
            case ["--to", var directory]:
                to = directory;
                break;
            default:
                await Console.Error.WriteLineAsync("Usage: " + BackupUsage);
                return 2;
        }

        var result = await app.Services.GetRequiredService<SqliteBackup>().CreateAsync(to, CancellationToken.None);
        if (!result.Succeeded || result.Manifest is not { } manifest)
        {
            await Console.Error.WriteLineAsync($"Backup failed: {result.Error}");
            return 1;
        }

        Console.WriteLine($"Backup written to {result.Path}");
        Console.WriteLine($"Database {manifest.DatabaseBytes} bytes (integrity_check ok, latest migration {manifest.LatestMigration}), {manifest.MediaFiles} media files ({manifest.MediaBytes} bytes).");
        if (result.Deleted.Count > 0)
        {
            Console.WriteLine($"Older backups deleted (Backup:Keep): {string.Join(", ", result.Deleted.Select(Path.GetFileName))}");
        }

        return 0;
    }

    public const string BackupUsage = "backup [--to DIR]";

    public const string RestoreUsage = "restore FROM";
}
