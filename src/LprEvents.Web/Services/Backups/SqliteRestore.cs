using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LprEvents.Web.Services.Backups;

/// <summary>The outcome of <c>restore</c>: exit code and the lines for the operator (English, like the other commands).</summary>
public sealed record RestoreResult(int ExitCode, IReadOnlyList<string> Lines);

/// <summary>
/// <c>restore FROM</c> (docs/decisions/0029): runs before the database is opened, so it works when the file is missing or
/// broken. Takes the exclusive <see cref="SiteLock"/> (refused while any instance of the site runs on the file),
/// copies the backup next to the database and checks that copy (integrity, migrations history known to this
/// version), keeps the current file and its <c>-wal</c>/<c>-shm</c> as <c>NAME.replaced-TIMESTAMP.db…</c>, renames the
/// copy into place and replaces the media folder (the old one kept aside likewise).
/// </summary>
public static class SqliteRestore
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int SiteRunning = 3;
    public const int CopyRefused = 4;

    public static RestoreResult Run(string from, string databasePath, string mediaRoot, IReadOnlyCollection<string> knownMigrations, DateTime nowUtc)
    {
        var lines = new List<string>();
        RestoreResult Done(int code, string line)
        {
            lines.Add(line);
            return new RestoreResult(code, lines);
        }

        var (backupDb, backupMedia) = Locate(Path.GetFullPath(from));
        if (backupDb is null)
        {
            // The folder of the backups rather than one of them: which one goes back is the operator's choice, so
            // name the candidates (newest first) instead of picking one.
            IReadOnlyList<string> candidates;
            try
            {
                candidates = BackupFiles.CompleteBackups(Path.GetFullPath(from));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                candidates = [];
            }

            return candidates.Count == 0
                ? Done(CopyRefused, $"Restore refused: {from} is neither a backup folder with {BackupFiles.DatabaseFileName} nor a database file.")
                : Done(CopyRefused, $"Restore refused: {from} is the folder of the backups, not one of them; name the one to restore. Newest first: {string.Join(", ", candidates.Take(5))}{(candidates.Count > 5 ? ", …" : "")}.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        using var siteLock = SiteLock.TryExclusive(databasePath);
        if (siteLock is null)
        {
            return Done(SiteRunning, $"Restore refused: the site is running on {databasePath} ({SiteLock.PathFor(databasePath)} is locked). Stop every instance first (e.g. systemctl stop lprevents), then run restore again.");
        }

        var stamp = nowUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var staged = databasePath + ".restoring-" + stamp;
        try
        {
            // The check runs on the very bytes that go into place, and the backup itself stays untouched.
            File.Copy(backupDb, staged, overwrite: true);
            if (Check(staged, knownMigrations) is { } problem)
            {
                File.Delete(staged);
                return Done(CopyRefused, $"Restore refused: {backupDb} {problem}. The current database was not touched.");
            }

            var kept = KeepAside(databasePath, stamp);
            try
            {
                File.Move(staged, databasePath);
            }
            catch
            {
                PutBack(kept);
                throw;
            }

            lines.Add($"Database restored from {backupDb} to {databasePath}.");
            lines.Add(kept.Count > 0
                ? $"The replaced database was kept as {kept[0].Kept}{(kept.Count > 1 ? " (with its " + string.Join(", ", kept.Skip(1).Select(k => Path.GetFileName(k.Kept))) + ")" : "")}."
                : "There was no database file before.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDeleteFile(staged);
            return Done(Failed, $"Restore failed: {ex.Message}. The current database is unchanged unless said above.");
        }

        if (backupMedia is null)
        {
            lines.Add($"The backup has no media folder; the media folder {mediaRoot} was left as it is.");
        }
        else
        {
            try
            {
                lines.Add(RestoreMedia(backupMedia, mediaRoot, stamp));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Done(Failed, $"The database was restored, but the media files were not: {ex.Message}. Copy {backupMedia} to {mediaRoot} by hand.");
            }
        }

        lines.Add("Start the site now; it brings a copy from an older version up to date by itself.");
        return new RestoreResult(Ok, lines);
    }

    /// <summary>The backup's database file and media folder: FROM is a backup folder, or a database file (its folder's <c>media</c> counts only beside a manifest).</summary>
    private static (string? Database, string? Media) Locate(string from)
    {
        if (Directory.Exists(from))
        {
            var database = Path.Combine(from, BackupFiles.DatabaseFileName);
            var media = Path.Combine(from, BackupFiles.MediaFolderName);
            return (File.Exists(database) ? database : null, Directory.Exists(media) ? media : null);
        }

        if (!File.Exists(from))
        {
            return (null, null);
        }

        var folder = Path.GetDirectoryName(from)!;
        var beside = Path.Combine(folder, BackupFiles.MediaFolderName);
        return (from, File.Exists(Path.Combine(folder, BackupFiles.ManifestFileName)) && Directory.Exists(beside) ? beside : null);
    }

    /// <summary>Why the copy at <paramref name="path"/> must not go into place, or null when it may.</summary>
    internal static string? Check(string path, IReadOnlyCollection<string> knownMigrations)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            var integrity = SqliteBackup.Scalar(connection, "PRAGMA integrity_check;");
            if (integrity != "ok")
            {
                return $"is damaged (PRAGMA integrity_check: {integrity})";
            }

            if (SqliteBackup.Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory';") != "1")
            {
                return "is not a database of this application (no __EFMigrationsHistory table)";
            }

            var applied = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId;";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    applied.Add(reader.GetString(0));
                }
            }

            if (applied.Count == 0)
            {
                return "has an empty migrations history";
            }

            var unknown = applied.Where(m => !knownMigrations.Contains(m)).ToList();
            return unknown.Count > 0
                ? $"was made by a newer version of the application (unknown migrations: {string.Join(", ", unknown)}); update the application first"
                : null;
        }
        catch (SqliteException ex)
        {
            // SQLITE_NOTADB, SQLITE_CORRUPT and the like.
            return $"cannot be read as a SQLite database ({ex.Message})";
        }
    }

    private static List<(string Original, string Kept)> KeepAside(string databasePath, string stamp)
    {
        var folder = Path.GetDirectoryName(databasePath)!;
        var name = Path.GetFileNameWithoutExtension(databasePath);
        var extension = Path.GetExtension(databasePath);
        var keptName = Path.Combine(folder, $"{name}.replaced-{stamp}{extension}");
        var kept = new List<(string, string)>();
        try
        {
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                if (File.Exists(databasePath + suffix))
                {
                    File.Move(databasePath + suffix, keptName + suffix);
                    kept.Add((databasePath + suffix, keptName + suffix));
                }
            }
        }
        catch
        {
            PutBack(kept);
            throw;
        }

        return kept;
    }

    private static void PutBack(List<(string Original, string Kept)> kept)
    {
        foreach (var (original, aside) in kept)
        {
            File.Move(aside, original);
        }
    }

    private static string RestoreMedia(string backupMedia, string mediaRoot, string stamp)
    {
        var staged = mediaRoot.TrimEnd(Path.DirectorySeparatorChar) + ".restoring-" + stamp;
        if (Directory.Exists(staged))
        {
            Directory.Delete(staged, recursive: true);
        }

        var (files, _) = SqliteBackup.CopyFolder(backupMedia, staged, CancellationToken.None);
        string? keptAside = null;
        if (Directory.Exists(mediaRoot))
        {
            keptAside = mediaRoot.TrimEnd(Path.DirectorySeparatorChar) + ".replaced-" + stamp;
            Directory.Move(mediaRoot, keptAside);
        }

        Directory.Move(staged, mediaRoot);
        return $"Media restored: {files} files into {mediaRoot}" + (keptAside is null ? "." : $"; the previous media folder was kept as {keptAside}.");
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left beside the database with a telling name.
        }
    }
}
