using System.Net;
using System.Security.Cryptography;
using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Domain;
using LprEvents.Web.Services.Backups;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Backups;

/// <summary>
/// Backups and restore as an operator and an administrator notice them: backup folders and what they hold, the
/// restore's exit code and lines, the files left beside the database, the dashboard and <c>/health/ready</c>.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public BackupTests() => Directory.CreateDirectory(_folder);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the OS.
        }
    }

    private static Task<BackupResult> BackupAsync(LprWebFactory factory, string? to = null) =>
        factory.Services.GetRequiredService<SqliteBackup>().CreateAsync(to, Ct);

    private static HashSet<string> KnownMigrations(LprWebFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<LprEventsDbContext>().Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task<string?> ScalarAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }

    /// <summary>A complete backup of a demo database with an uploaded file, and a "current" database beside it to restore onto.</summary>
    private async Task<(string Backup, string Current, HashSet<string> Known)> BackupAndCurrentAsync()
    {
        using var factory = new LprWebFactory();
        _ = factory.Services;
        await File.WriteAllTextAsync(Path.Combine(factory.Folder, "media", "programm.pdf"), "%PDF-1.4 Programm", Ct);
        var result = await BackupAsync(factory, Path.Combine(_folder, "backups"));
        Assert.True(result.Succeeded, result.Error);
        var current = Path.Combine(_folder, "site", "lprevents.db");
        Directory.CreateDirectory(Path.GetDirectoryName(current)!);
        File.Copy(Path.Combine(result.Path!, "lprevents.db"), current);
        return (result.Path!, current, KnownMigrations(factory));
    }

    private static RestoreResult Restore(string from, string current, HashSet<string> known) =>
        SqliteRestore.Run(from, current, Path.Combine(Path.GetDirectoryName(current)!, "media"), known, DateTime.UtcNow);

    [Fact]
    public async Task Backup_WritesACheckedSelfContainedCopy_WithMediaAndManifest_AndNoIncompleteFolder()
    {
        using var factory = new LprWebFactory();
        _ = factory.Services;
        await File.WriteAllTextAsync(Path.Combine(factory.Folder, "media", "programm.pdf"), "%PDF-1.4 Programm", Ct);

        var result = await BackupAsync(factory);

        Assert.True(result.Succeeded, result.Error);
        var directory = Path.Combine(factory.Folder, "data", "backups");
        Assert.Equal(Path.Combine(directory, "lprevents-20260310T090000Z"), result.Path);
        Assert.Equal(["last-run.json", "lprevents-20260310T090000Z"], Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // One file, no -wal beside it, and SQLite finds it whole.
        Assert.Equal(["lprevents.db", "manifest.json", "media"], Directory.EnumerateFileSystemEntries(result.Path!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var copy = Path.Combine(result.Path!, "lprevents.db");
        Assert.Equal("delete", await ScalarAsync(copy, "PRAGMA journal_mode;"));
        Assert.Equal("ok", await ScalarAsync(copy, "PRAGMA integrity_check;"));
        Assert.Equal("13", await ScalarAsync(copy, "SELECT count(*) FROM Regions;"));
        Assert.Equal("%PDF-1.4 Programm", await File.ReadAllTextAsync(Path.Combine(result.Path!, "media", "programm.pdf"), Ct));

        var manifest = BackupFiles.ReadManifest(result.Path!)!;
        Assert.Equal(new FileInfo(copy).Length, manifest.DatabaseBytes);
        Assert.True(manifest.MediaFiles >= 1);
        Assert.Equal(KnownMigrations(factory).Max(StringComparer.Ordinal), manifest.LatestMigration);
        Assert.Equal(factory.Time.GetUtcNow().UtcDateTime, manifest.CreatedAtUtc);
    }

    [Fact]
    public async Task Restore_OfACorruptedCopy_IsRefused_AndTheCurrentDatabaseIsUntouched()
    {
        var (backup, current, known) = await BackupAndCurrentAsync();
        var before = Hash(current);
        var corrupt = Path.Combine(_folder, "corrupt.db");
        File.Copy(Path.Combine(backup, "lprevents.db"), corrupt);
        await using (var file = new FileStream(corrupt, FileMode.Open, FileAccess.Write))
        {
            // One page in the middle of the file overwritten, as a failing disk or a bad copy would: the migrations
            // history still reads, only the integrity check finds it.
            file.Position = file.Length / 2 / 4096 * 4096;
            file.Write(Enumerable.Repeat((byte)0x5A, 4096).ToArray());
        }

        var result = Restore(corrupt, current, known);

        Assert.Equal(SqliteRestore.CopyRefused, result.ExitCode);
        var line = Assert.Single(result.Lines);
        Assert.StartsWith($"Restore refused: {corrupt} ", line, StringComparison.Ordinal);
        Assert.EndsWith("The current database was not touched.", line, StringComparison.Ordinal);
        Assert.Equal(before, Hash(current));
        Assert.Equal(["lprevents.db", "lprevents.db.lock"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(current)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Restore_OfAFileThatIsNoDatabase_OrOfAnotherApplication_OrOfANewerVersion_IsRefused()
    {
        var (backup, current, known) = await BackupAndCurrentAsync();
        var before = Hash(current);
        var text = Path.Combine(_folder, "notes.db");
        await File.WriteAllTextAsync(text, string.Concat(Enumerable.Repeat("Dies ist keine Datenbank. ", 400)), Ct);
        var foreign = Path.Combine(_folder, "foreign.db");
        await using (var connection = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT);";
            await create.ExecuteNonQueryAsync(Ct);
        }

        var newer = Path.Combine(_folder, "newer");
        Directory.CreateDirectory(newer);
        File.Copy(Path.Combine(backup, "lprevents.db"), Path.Combine(newer, "lprevents.db"));
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(newer, "lprevents.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '99.0.0');";
            await insert.ExecuteNonQueryAsync(Ct);
        }

        Assert.Contains("cannot be read as a SQLite database", Assert.Single(Restore(text, current, known).Lines), StringComparison.Ordinal);
        Assert.Contains("no __EFMigrationsHistory table", Assert.Single(Restore(foreign, current, known).Lines), StringComparison.Ordinal);
        var fromTheFuture = Restore(newer, current, known);
        Assert.Equal(SqliteRestore.CopyRefused, fromTheFuture.ExitCode);
        Assert.Contains("newer version of the application (unknown migrations: 29991231000000_FromTheFuture)", Assert.Single(fromTheFuture.Lines), StringComparison.Ordinal);
        Assert.Equal(SqliteRestore.CopyRefused, Restore(Path.Combine(_folder, "missing"), current, known).ExitCode);
        Assert.Equal(before, Hash(current));
    }

    [Fact]
    public async Task Restore_OfTheFolderOfTheBackups_NamesThem_AndTouchesNothing()
    {
        var (backup, current, known) = await BackupAndCurrentAsync();
        var before = Hash(current);

        var result = Restore(Path.GetDirectoryName(backup)!, current, known);

        Assert.Equal(SqliteRestore.CopyRefused, result.ExitCode);
        var line = Assert.Single(result.Lines);
        Assert.Contains("is the folder of the backups, not one of them; name the one to restore. Newest first: " + backup + ".", line, StringComparison.Ordinal);
        Assert.Equal(before, Hash(current));
    }

    [Fact]
    public async Task Restore_IsRefusedWhileTheSiteRuns_ThenKeepsTheReplacedFile_AndTheRestartedSiteShowsTheBackedUpContent()
    {
        var database = Path.Combine(_folder, "site", "data", "lprevents.db");
        string backup;
        string slug;
        HashSet<string> known;
        using (var factory = new LprWebFactory { SharedDatabasePath = database })
        {
            await using (var scope = factory.CreateDbScope())
            {
                var e = await scope.Db.Events.OrderBy(x => x.Id).FirstAsync(Ct);
                e.Title = "Fachtag vor der Sicherung";
                slug = e.Slug;
                await scope.Db.SaveChangesAsync(Ct);
            }

            var result = await BackupAsync(factory, Path.Combine(_folder, "backups"));
            Assert.True(result.Succeeded, result.Error);
            backup = result.Path!;
            known = KnownMigrations(factory);
            await using (var scope = factory.CreateDbScope())
            {
                (await scope.Db.Events.SingleAsync(x => x.Slug == slug, Ct)).Title = "Fachtag nach der Sicherung";
                await scope.Db.SaveChangesAsync(Ct);
            }

            var refused = Restore(backup, database, known);
            Assert.Equal(SqliteRestore.SiteRunning, refused.ExitCode);
            Assert.StartsWith($"Restore refused: the site is running on {database}", Assert.Single(refused.Lines), StringComparison.Ordinal);
        }

        SqliteConnection.ClearAllPools();
        var restored = SqliteRestore.Run(backup, database, Path.Combine(_folder, "site", "media"), known, new DateTime(2026, 12, 2, 17, 0, 0, DateTimeKind.Utc));

        Assert.Equal(SqliteRestore.Ok, restored.ExitCode);
        var kept = Path.Combine(_folder, "site", "data", "lprevents.replaced-20261202T170000Z.db");
        Assert.Contains($"The replaced database was kept as {kept}", restored.Lines[1], StringComparison.Ordinal);
        Assert.Equal("Fachtag nach der Sicherung", await ScalarAsync(kept, $"SELECT Title FROM Events WHERE Slug = '{slug}';"));
        Assert.Equal("Fachtag vor der Sicherung", await ScalarAsync(database, $"SELECT Title FROM Events WHERE Slug = '{slug}';"));

        using var restarted = new LprWebFactory { SharedDatabasePath = database };
        var (response, page) = await restarted.CreateClient().GetPageAsync($"/veranstaltungen/{slug}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Fachtag vor der Sicherung", page.Text("h1"));
    }

    [Fact]
    public void SiteStart_IsRefused_WhileARestoreHoldsTheDatabase()
    {
        var database = Path.Combine(_folder, "locked", "lprevents.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        using (var restoring = SiteLock.TryExclusive(database))
        {
            Assert.NotNull(restoring);
            using var factory = new LprWebFactory { SharedDatabasePath = database };
            Assert.ThrowsAny<Exception>(() => factory.Services);
            Assert.False(File.Exists(database), "the refused start created a database");
        }

        using var afterwards = new LprWebFactory { SharedDatabasePath = database };
        Assert.NotNull(afterwards.Services);
        Assert.Null(SiteLock.TryExclusive(database));
    }

    [Fact]
    public async Task Schedule_MakesTheDueBackupOnce_CatchesUpAfterADay_AndKeepsTheNewestBackupKeep()
    {
        using var factory = new LprWebFactory { SeedDemo = false };
        factory.ExtraSettings["Backup:Schedule"] = "03:30";
        factory.ExtraSettings["Backup:Keep"] = "2";
        var scheduler = factory.Services.GetRequiredService<BackupScheduler>();
        var directory = Path.Combine(factory.Folder, "data", "backups");

        // 10:00 in Berlin: 03:30 has passed without a backup.
        Assert.True(await scheduler.RunOnceAsync(Ct));
        Assert.False(await scheduler.RunOnceAsync(Ct));
        factory.Time.Advance(TimeSpan.FromHours(17)); // 03:00 the next day: not due yet
        Assert.False(await scheduler.RunOnceAsync(Ct));
        factory.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.True(await scheduler.RunOnceAsync(Ct));
        factory.Time.Advance(TimeSpan.FromDays(1));
        Assert.True(await scheduler.RunOnceAsync(Ct));

        Assert.Equal(
            ["lprevents-20260312T023100Z", "lprevents-20260311T023100Z"],
            BackupFiles.CompleteBackups(directory).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateDirectories(directory, ".incomplete-*"));
    }

    [Fact]
    public async Task Dashboard_ShowsTheLastBackupInBerlinTime_AndWarnsWhenThereIsNone_WhenItIsOld_AndWhenTheLastRunFailed()
    {
        using var factory = new LprWebFactory { SeedDemo = false };
        var admin = await AdminSession.SignInAsync(factory, IdentitySetup.AdminRole);

        var (_, page) = await admin.Client.GetPageAsync("/admin");
        Assert.Equal("Es gibt noch keine Sicherung der Datenbank. Richten Sie regelmäßige Sicherungen ein (Backup:Schedule, siehe Betriebshandbuch docs/operations.md).", page.Text("#sicherung ~ .notice--warning"));

        Assert.True((await BackupAsync(factory)).Succeeded);
        (_, page) = await admin.Client.GetPageAsync("/admin");
        Assert.Matches(@"^Letzte Sicherung: 10\.03\.2026 10:00 Uhr, \d+(,\d)? (KB|MB)$", Html.Normalise(page.QuerySelector("#sicherung ~ p")!.TextContent));
        Assert.Null(page.QuerySelector("#sicherung ~ .notice--warning"));

        factory.Time.Advance(TimeSpan.FromHours(27));
        // A day later the admin session has expired: signed in again.
        admin = await AdminSession.SignInAsync(factory, IdentitySetup.AdminRole);
        (_, page) = await admin.Client.GetPageAsync("/admin");
        Assert.StartsWith("Die letzte Sicherung ist älter als 26 Stunden.", page.Text("#sicherung ~ .notice--warning"), StringComparison.Ordinal);

        // The next attempt fails (its folder name is taken by a file): the dashboard says so, the old backup stays listed.
        var directory = Path.Combine(factory.Folder, "data", "backups");
        await File.WriteAllTextAsync(Path.Combine(directory, ".incomplete-" + BackupFiles.FolderName(factory.Time.GetUtcNow().UtcDateTime)), "", Ct);
        Assert.False((await BackupAsync(factory)).Succeeded);
        (_, page) = await admin.Client.GetPageAsync("/admin");
        Assert.StartsWith("Die letzte Sicherung am 11.03.2026 um 13:00 Uhr ist fehlgeschlagen.", page.Text("#sicherung ~ .notice--warning"), StringComparison.Ordinal);
        Assert.StartsWith("Letzte Sicherung: 10.03.2026 10:00 Uhr", Html.Normalise(page.QuerySelector("#sicherung ~ p")!.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_IsDegradedWithoutABackup_HealthyAfterOne_AndDegradedWhenItIsOlderThanMaxAge()
    {
        using var factory = new LprWebFactory { SeedDemo = false };
        factory.ExtraSettings["Backup:Schedule"] = "03:30";
        var client = factory.CreateClient();

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded\nbackup: Degraded – No backup yet (set Backup:Schedule or run the backup command; docs/operations.md).", await ready.Content.ReadAsStringAsync(Ct));

        Assert.True((await BackupAsync(factory)).Succeeded);
        factory.Time.Advance(TimeSpan.FromHours(25));
        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative), Ct));

        factory.Time.Advance(TimeSpan.FromHours(2));
        ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded\nbackup: Degraded – Newest backup is 27 h old (limit 26 h).", await ready.Content.ReadAsStringAsync(Ct));
    }
}
