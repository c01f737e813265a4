using System.Text.Json;
using LprEvents.Web.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LprEvents.Web.Services.Backups;

/// <summary>The outcome of one backup: the complete folder and its manifest, or why it failed.</summary>
public sealed record BackupResult(bool Succeeded, string? Path, BackupManifest? Manifest, string? Error, IReadOnlyList<string> Deleted);

/// <summary>
/// A consistent copy of the SQLite database while the site runs, with the media files beside it
/// (docs/decisions/0029). SQLite's online backup API copies one snapshot: every transaction committed before it
/// started, also what still sits in the <c>-wal</c> file. The copy is switched to journal_mode=DELETE (one
/// self-contained file) and checked with <c>PRAGMA integrity_check</c>. Everything is written into an
/// <c>.incomplete-…</c> folder that is renamed only when complete; then older backups beyond <c>Backup:Keep</c> go.
/// </summary>
public sealed class SqliteBackup(BackupFiles files, IOptions<BackupOptions> options, TimeProvider time, ILogger<SqliteBackup> logger)
{
    /// <summary>How long the copy waits for a lock the running site holds before the backup fails.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>Makes a backup into <paramref name="directory"/> (default: <see cref="BackupFiles.DefaultDirectory"/>). Never throws for a failed backup.</summary>
    public async Task<BackupResult> CreateAsync(string? directory, CancellationToken ct)
    {
        var target = directory is null ? files.DefaultDirectory : Path.GetFullPath(directory);
        if (files.ConnectionString is not { } connectionString || files.DatabasePath is null || target is null)
        {
            return new BackupResult(false, null, null, "The database is not a SQLite file; use the database server's own backups (docs/operations.md).", []);
        }

        var started = time.GetUtcNow().UtcDateTime;
        var incomplete = "";
        try
        {
            Directory.CreateDirectory(target);
            var name = BackupFiles.FolderName(started);
            for (var n = 2; Directory.Exists(Path.Combine(target, name)); n++)
            {
                name = BackupFiles.FolderName(started) + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            incomplete = Path.Combine(target, BackupFiles.IncompletePrefix + name);
            Directory.CreateDirectory(incomplete);
            var copy = Path.Combine(incomplete, BackupFiles.DatabaseFileName);

            // The database first, then the media: a file uploaded meanwhile is an extra file in the copy, never a missing one.
            var latestMigration = await Task.Run(() => CopyDatabase(connectionString, copy), ct);
            var (mediaFiles, mediaBytes) = CopyFolder(files.MediaRoot, Path.Combine(incomplete, BackupFiles.MediaFolderName), ct);

            var manifest = new BackupManifest(started, BackupFiles.DatabaseFileName, new FileInfo(copy).Length, mediaFiles, mediaBytes, latestMigration, BackupFiles.AppVersion);
            await File.WriteAllTextAsync(Path.Combine(incomplete, BackupFiles.ManifestFileName), JsonSerializer.Serialize(manifest, BackupFiles.Json), ct);

            var complete = Path.Combine(target, name);
            Directory.Move(incomplete, complete);
            var deleted = Rotate(target);
            await WriteLastRunAsync(target, new BackupRun(started, true, complete, manifest.DatabaseBytes + manifest.MediaBytes, null));
            logger.LogInformation(
                "Backup written to {Path}: database {DatabaseBytes} bytes, {MediaFiles} media files ({MediaBytes} bytes); {Deleted} older backups deleted",
                complete,
                manifest.DatabaseBytes,
                mediaFiles,
                mediaBytes,
                deleted.Count);
            return new BackupResult(true, complete, manifest, null, deleted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var reason = $"{ex.GetType().Name}: {ex.Message}";
            logger.LogError("Backup into {Directory} failed ({Reason}); no backup was written. Check free space and permissions there", target, reason);
            TryDelete(incomplete);
            try
            {
                await WriteLastRunAsync(target, new BackupRun(started, false, null, 0, reason));
            }
            catch (Exception writeError) when (writeError is IOException or UnauthorizedAccessException)
            {
                // The directory itself is the problem; the log line above says so.
            }

            return new BackupResult(false, null, null, reason, []);
        }
        catch
        {
            TryDelete(incomplete);
            throw;
        }
    }

    /// <summary>Copies the database with SQLite's backup API, makes the copy self-contained and checks it. Returns its latest migration.</summary>
    private static string? CopyDatabase(string connectionString, string copy)
    {
        // Unpooled: the busy timeout set below belongs to the native connection and would stay with a pooled one,
        // making a later web request wait 30 s instead of the 3 s a request may (ADR 0027).
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString()))
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            source.Open();
            destination.Open();
            // Microsoft.Data.Sqlite retries a busy command itself but not the backup API: without SQLite's own busy
            // handler a moment's lock held by the running site (a checkpoint, a write starting) fails the backup.
            var waitForLocks = FormattableString.Invariant($"PRAGMA busy_timeout = {(int)LockWait.TotalMilliseconds};");
            Scalar(source, waitForLocks);
            Scalar(destination, waitForLocks);
            source.BackupDatabase(destination);
        }

        using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        check.Open();
        // The source is in WAL mode, and the copy inherits it; a backup is one file that needs no -wal beside it.
        Scalar(check, "PRAGMA journal_mode=DELETE;");
        var integrity = Scalar(check, "PRAGMA integrity_check;");
        if (integrity != "ok")
        {
            throw new InvalidDataException($"the copy failed PRAGMA integrity_check ({integrity})");
        }

        return Scalar(check, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1;");
    }

    internal static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    /// <summary>Copies a folder tree; files that vanish meanwhile (an editor deleted them) are left out. Returns count and bytes.</summary>
    internal static (int Files, long Bytes) CopyFolder(string from, string to, CancellationToken ct)
    {
        Directory.CreateDirectory(to);
        if (!Directory.Exists(from))
        {
            return (0, 0);
        }

        var count = 0;
        var bytes = 0L;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Copy(file, target);
                count++;
                bytes += new FileInfo(target).Length;
            }
            catch (FileNotFoundException)
            {
                // Deleted while the backup ran.
            }
        }

        return (count, bytes);
    }

    /// <summary>Deletes complete backups beyond <c>Backup:Keep</c> (newest kept) and incomplete ones older than a day.</summary>
    private List<string> Rotate(string directory)
    {
        var deleted = new List<string>();
        var keep = options.Value.Keep;
        if (keep > 0)
        {
            foreach (var old in BackupFiles.CompleteBackups(directory).Skip(keep))
            {
                if (TryDelete(old))
                {
                    deleted.Add(old);
                }
            }
        }

        var dayAgo = time.GetUtcNow().UtcDateTime.AddDays(-1);
        foreach (var stale in Directory.EnumerateDirectories(directory, BackupFiles.IncompletePrefix + "*").Where(d => Directory.GetCreationTimeUtc(d) < dayAgo))
        {
            TryDelete(stale);
        }

        return deleted;
    }

    private static async Task WriteLastRunAsync(string directory, BackupRun run)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, BackupFiles.LastRunFileName);
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(run, BackupFiles.Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private bool TryDelete(string folder)
    {
        try
        {
            if (folder.Length > 0 && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not delete the backup folder {Folder} ({Reason}); delete it by hand", folder, ex.Message);
            return false;
        }
    }
}
