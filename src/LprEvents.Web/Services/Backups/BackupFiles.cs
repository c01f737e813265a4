using System.Globalization;
using System.Reflection;
using System.Text.Json;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Backups;

/// <summary>What <c>manifest.json</c> in a backup folder says (read by <c>restore</c>, the dashboard and <c>/health/ready</c>).</summary>
public sealed record BackupManifest(
    DateTime CreatedAtUtc,
    string DatabaseFile,
    long DatabaseBytes,
    int MediaFiles,
    long MediaBytes,
    string? LatestMigration,
    string AppVersion);

/// <summary>
/// <c>last-run.json</c> in the backup directory: the outcome of the latest attempt (command or schedule), so that a
/// failure shows on the dashboard and <c>/health/ready</c> even though it left no backup folder.
/// </summary>
public sealed record BackupRun(DateTime AtUtc, bool Succeeded, string? Path, long Bytes, string? Error);

/// <summary>The state the dashboard and <c>/health/ready</c> show: the newest complete backup and the latest attempt.</summary>
public sealed record BackupState(string Directory, BackupManifest? Newest, string? NewestPath, BackupRun? LastRun)
{
    /// <summary>The latest attempt failed after the newest complete backup was made.</summary>
    public bool LastRunFailed => LastRun is { Succeeded: false } run && (Newest is null || run.AtUtc > Newest.CreatedAtUtc);

    public long? NewestBytes => Newest is null ? null : Newest.DatabaseBytes + Newest.MediaBytes;
}

/// <summary>
/// Where the SQLite database, the media folder and the backups are, and the files of a backup folder:
/// <c>lprevents-YYYYMMDDTHHMMSSZ/</c> holding <c>lprevents.db</c>, <c>media/</c> and <c>manifest.json</c>, written as
/// <c>.incomplete-…</c> and renamed when complete (docs/decisions/0029).
/// </summary>
public sealed class BackupFiles(IServiceScopeFactory scopes, MediaStorage media, IOptions<BackupOptions> options, IOptions<DatabaseOptions> database, IWebHostEnvironment environment)
{
    public const string FolderPrefix = "lprevents-";
    public const string IncompletePrefix = ".incomplete-";
    public const string DatabaseFileName = "lprevents.db";
    public const string MediaFolderName = "media";
    public const string ManifestFileName = "manifest.json";
    public const string LastRunFileName = "last-run.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly Lazy<string?> _connectionString = new(() =>
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();
        return db.Database.IsSqlite() ? db.Database.GetConnectionString() : null;
    });

    public bool IsSqlite => database.Value.Provider == DatabaseProvider.Sqlite;

    /// <summary>The app's SQLite connection string (its busy timeout included); null on SQL Server.</summary>
    public string? ConnectionString => _connectionString.Value;

    /// <summary>The full path of the SQLite database file; null on SQL Server or for an in-memory database.</summary>
    public string? DatabasePath =>
        ConnectionString is { } cs && new SqliteConnectionStringBuilder(cs) is { Mode: not SqliteOpenMode.Memory, DataSource: not (":memory:" or "") } csb
            ? Path.GetFullPath(csb.DataSource)
            : null;

    public string MediaRoot => media.RootPath;

    /// <summary><c>Backup:Directory</c>, or <c>backups</c> next to the database file.</summary>
    public string? DefaultDirectory =>
        !string.IsNullOrWhiteSpace(options.Value.Directory)
            ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Directory))
            : DatabasePath is { } db ? Path.Combine(Path.GetDirectoryName(db)!, "backups") : null;

    /// <summary>This build's version, as the manifest records it.</summary>
    public static string AppVersion =>
        typeof(BackupFiles).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BackupFiles).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The folder name of a backup made at <paramref name="utc"/> (sorts by time).</summary>
    public static string FolderName(DateTime utc) => FolderPrefix + utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Complete backups in <paramref name="directory"/>, newest first (only folders with a manifest count).</summary>
    public static IReadOnlyList<string> CompleteBackups(string directory) =>
        !System.IO.Directory.Exists(directory)
            ? []
            : [.. System.IO.Directory.EnumerateDirectories(directory, FolderPrefix + "*")
                .Where(d => File.Exists(Path.Combine(d, ManifestFileName)))
                .OrderByDescending(d => Path.GetFileName(d), StringComparer.Ordinal)];

    public static BackupManifest? ReadManifest(string folder) => ReadJson<BackupManifest>(Path.Combine(folder, ManifestFileName));

    /// <summary>The newest complete backup and the latest attempt in <paramref name="directory"/>. Never throws.</summary>
    public static BackupState ReadState(string directory)
    {
        try
        {
            foreach (var folder in CompleteBackups(directory))
            {
                if (ReadManifest(folder) is { } manifest)
                {
                    return new BackupState(directory, manifest, folder, ReadJson<BackupRun>(Path.Combine(directory, LastRunFileName)));
                }
            }

            return new BackupState(directory, null, null, ReadJson<BackupRun>(Path.Combine(directory, LastRunFileName)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new BackupState(directory, null, null, null);
        }
    }

    /// <summary>The state of the configured backup directory; null on SQL Server.</summary>
    public BackupState? ReadState() => DefaultDirectory is { } directory ? ReadState(directory) : null;

    private static T? ReadJson<T>(string path)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
