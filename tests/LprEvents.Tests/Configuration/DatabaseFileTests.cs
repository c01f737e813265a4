using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LprEvents.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// The database file renamed or deleted under the running app, and a start without it (issue 11, ADR 0028): the app
/// never starts over silently, <c>/health/ready</c> turns 503 within seconds with one critical log line, registrations
/// get the German 503 page, every registration that got a success page is in the file at the configured path, and
/// the app carries on by itself once the file is back. The app runs as its own process in Production, as an operator
/// runs it, with real pooled connections.
/// </summary>
public sealed class DatabaseFileTests
{
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task FileRenamedUnderTheRunningApp_ReadyTurns503_RegistrationsAreRefused_NothingAcknowledgedIsLost_AndItRecoversWhenRenamedBack()
    {
        var folder = NewFolder();
        var database = Path.Combine(folder, "data", "lprevents.db");
        var settings = AppProcess.ProductionSettings(folder);
        settings["Email__OutboxPollSeconds"] = "1";
        var run = Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new ConcurrentDictionary<string, TimeSpan>();
        var refusedAfterRename = new ConcurrentBag<HttpStatusCode>();
        try
        {
            using var app = await AppProcess.StartAsync(settings);
            // A first install asked for explicitly (Database__CreateIfMissing=true): the file is there, the site ready.
            Assert.True(File.Exists(database));
            Assert.Equal(HttpStatusCode.OK, await ReadyAsync(app));
            using var client = app.Client();
            var slug = await AppProcessRegistration.OpenEventSlugAsync(client);
            await ExecuteAsync(database, $"UPDATE Events SET Capacity = 100000, WaitingListEnabled = 1 WHERE Slug = '{slug}'; UPDATE Sessions SET Capacity = 100000 WHERE EventId = (SELECT Id FROM Events WHERE Slug = '{slug}');");
            // A form opened before the rename and sent after it.
            using var late = app.Client();
            var lateForm = await FormAsync(late, slug, $"spaet-{run}@example.org");

            var clock = Stopwatch.StartNew();
            var renamedAt = long.MaxValue;
            using var stop = new CancellationTokenSource();
            var registering = Parallel.ForEachAsync(Enumerable.Range(0, 100_000), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stop.Token }, async (i, ct) =>
            {
                var email = $"umbenannt-{run}-{i:00000}@example.org";
                using var own = app.Client();
                var started = clock.Elapsed;
                var status = await TryRegisterAsync(own, slug, email);
                if (status == HttpStatusCode.Redirect)
                {
                    acknowledged[email] = started;
                }
                else if (started.Ticks > Interlocked.Read(ref renamedAt))
                {
                    refusedAfterRename.Add(status);
                }
            });

            while (acknowledged.Count < 30 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            File.Move(database, database + ".umbenannt");
            Interlocked.Exchange(ref renamedAt, clock.Elapsed.Ticks);
            var readyAfter = await WaitForReadyAsync(app, HttpStatusCode.ServiceUnavailable, Detection);
            var refused = await PostAsync(late, slug, lateForm);
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await SwallowAsync(registering);

            Assert.InRange(readyAfter, TimeSpan.Zero, Detection);
            await AssertRefusedAsync(refused);
            Assert.NotEmpty(refusedAfterRename);
            Assert.All(refusedAfterRename, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
            // Nothing was acknowledged that began after the rename: it would have gone into the orphaned file.
            Assert.DoesNotContain(acknowledged, a => a.Value.Ticks > renamedAt);
            Assert.False(File.Exists(database), "the app must not create a new file at the path");
            // The renamed file holds every acknowledged registration by itself (its write-ahead log, left at the old
            // path, was checkpointed into it): copied elsewhere alone, as an operator might, it is complete.
            var alone = Path.Combine(folder, "allein.db");
            File.Copy(database + ".umbenannt", alone);
            var inRenamed = await EmailsAsync(alone, $"umbenannt-{run}-%");
            Assert.All(acknowledged.Keys, email => Assert.Contains(email, inRenamed));

            File.Move(database + ".umbenannt", database);
            Assert.InRange(await WaitForReadyAsync(app, HttpStatusCode.OK, Detection), TimeSpan.Zero, Detection);
            var after = $"danach-{run}@example.org";
            using (var again = app.Client())
            {
                Assert.Equal(HttpStatusCode.Redirect, await TryRegisterAsync(again, slug, after));
            }

            await app.StopAsync();
            var output = string.Join('\n', app.Output);
            var critical = Assert.Single(app.Output, line => line.Contains("Database not ready", StringComparison.Ordinal));
            Assert.Contains(database, critical, StringComparison.Ordinal);
            Assert.Contains("\"@l\":\"Fatal\"", critical, StringComparison.Ordinal);
            Assert.Contains("Database ready again", output, StringComparison.Ordinal);

            // Every registration that got its success page is in the file at the configured path, once.
            var rows = await EmailsAsync(database, $"umbenannt-{run}-%");
            Assert.All(acknowledged.Keys, email => Assert.Single(rows, r => r == email));
            Assert.Single(await EmailsAsync(database, after));
            TestContext.Current.TestOutputHelper?.WriteLine($"{acknowledged.Count} acknowledged, {refusedAfterRename.Count} refused after the rename; ready 503 after {readyAfter.TotalMilliseconds:0} ms");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task FileDeletedUnderTheRunningApp_ReadyTurns503_RegistrationsAreRefused_NoFileIsCreated_AndARestoredCopyIsTakenUp()
    {
        var folder = NewFolder();
        var database = Path.Combine(folder, "data", "lprevents.db");
        var copy = Path.Combine(folder, "sicherung.db");
        var settings = AppProcess.ProductionSettings(folder);
        var run = Guid.NewGuid().ToString("N")[..8];
        try
        {
            using var app = await AppProcess.StartAsync(settings);
            using var client = app.Client();
            var slug = await AppProcessRegistration.OpenEventSlugAsync(client);
            var before = Enumerable.Range(0, 5).Select(i => $"vorher-{run}-{i}@example.org").ToList();
            foreach (var email in before)
            {
                using var own = app.Client();
                Assert.Equal(HttpStatusCode.Redirect, await TryRegisterAsync(own, slug, email));
            }

            using var late = app.Client();
            var lateForm = await FormAsync(late, slug, $"spaet-{run}@example.org");
            // The operator's backup, taken with SQLite's online backup API while the app runs.
            await using (var source = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False"))
            await using (var target = new SqliteConnection($"Data Source={copy};Pooling=False"))
            {
                await source.OpenAsync(TestContext.Current.CancellationToken);
                await target.OpenAsync(TestContext.Current.CancellationToken);
                source.BackupDatabase(target);
            }

            File.Delete(database);
            var readyAfter = await WaitForReadyAsync(app, HttpStatusCode.ServiceUnavailable, Detection);
            await AssertRefusedAsync(await PostAsync(late, slug, lateForm));
            using (var other = app.Client())
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, await TryRegisterAsync(other, slug, $"waehrenddessen-{run}@example.org"));
            }

            Assert.InRange(readyAfter, TimeSpan.Zero, Detection);
            Assert.False(File.Exists(database), "the app must not create a new file at the path");
            // The deleted file's write-ahead log (it keeps its name at the path) was emptied when the problem was found:
            // nothing of the old file is left for the restored one to pick up.
            Assert.Equal(0, File.Exists(database + "-wal") ? new FileInfo(database + "-wal").Length : 0);

            File.Copy(copy, database);
            Assert.InRange(await WaitForReadyAsync(app, HttpStatusCode.OK, Detection), TimeSpan.Zero, Detection);
            var after = $"danach-{run}@example.org";
            using (var again = app.Client())
            {
                Assert.Equal(HttpStatusCode.Redirect, await TryRegisterAsync(again, slug, after));
            }

            await app.StopAsync();
            Assert.Single(app.Output, line => line.Contains("Database not ready", StringComparison.Ordinal) && line.Contains(database, StringComparison.Ordinal));
            // What was acknowledged before the delete is in the restored copy, the registration after it too; the two
            // refused while the file was gone are nowhere.
            var rows = await EmailsAsync(database, "%-" + run + "%");
            Assert.Equal(before.Append(after).Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The check inside the registration's write path: the file is renamed after the seat transaction has begun and
    /// before it commits (staged at the INSERT of the participant). The commit is refused, nothing is acknowledged, and
    /// the person gets the form back with everything typed in and a 503.
    /// </summary>
    [Fact]
    public async Task FileRenamedDuringTheSeatTransaction_TheRegistrationIsRefusedBeforeItIsAcknowledged()
    {
        var hook = new CommandHook();
        using var factory = new InterceptingWebFactory(hook);
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-umbenannt", capacity: 10, waitingList: false);
        var database = factory.DatabasePath;
        hook.BeforeCommand(
            c => c.CommandText.Contains("INSERT INTO \"Participants\"", StringComparison.Ordinal),
            (_, _) =>
            {
                File.Move(database, database + ".weg");
                return Task.CompletedTask;
            });

        var response = await driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("mitten@example.org", firstName: "Wilhelmine"));

        Assert.True(hook.Fired);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var form = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Die Anmeldung ist gerade überlastet", form.Text(".error-summary h2"));
        Assert.Equal("Wilhelmine", form.QuerySelector("#FirstName")?.GetAttribute("value"));

        File.Move(database + ".weg", database);
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(0, await ParticipantsAsync(factory, "mitten@example.org"));
        Assert.Equal(HttpStatusCode.Redirect, (await driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("mitten@example.org"))).StatusCode);
        Assert.Equal(1, await ParticipantsAsync(factory, "mitten@example.org"));
    }

    [Fact]
    public async Task ProductionStartOnAMissingFile_StopsWithOneLineAndCreatesNothing_InitCreatesAUsableDatabase()
    {
        var folder = NewFolder();
        var database = Path.Combine(folder, "data", "lprevents.db");
        var settings = AppProcess.ProductionSettings(folder);
        settings["Database__CreateIfMissing"] = null;
        settings["Seed__Demo"] = null;
        settings["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        try
        {
            var (exitCode, log) = await WebProject.RunAsync(settings);

            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(log.Split('\n'), l => l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));
            Assert.Contains($"The SQLite database file {database} does not exist", line, StringComparison.Ordinal);
            Assert.Contains("Restore the database from a backup", line, StringComparison.Ordinal);
            Assert.Contains("init", line, StringComparison.Ordinal);
            Assert.Contains("Database__CreateIfMissing=true", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening", log, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.GetDirectoryName(database)), "nothing may be created: not the file, not its folder");

            // A first install: init creates, migrates and seeds the reference data, and nothing else.
            (exitCode, log) = await WebProject.RunAsync(settings, "init");

            Assert.True(exitCode == 0, log);
            Assert.Contains($"Database ready ({database})", log, StringComparison.Ordinal);
            // What the operator asked for is no warning. EF's warning that a SQLite table rebuild runs outside the
            // migration's transaction is true and stays (ADR 0028); nothing else.
            Assert.DoesNotContain(
                log.Split('\n'),
                l => (l.Contains("\"@l\":\"Warning\"", StringComparison.Ordinal) && !l.Contains("\"Name\":\"Microsoft.EntityFrameworkCore.Migrations.NonTransactionalMigrationOperationWarning\"", StringComparison.Ordinal))
                    || l.Contains("\"@l\":\"Error\"", StringComparison.Ordinal));
            Assert.Equal(13L, await ScalarAsync(database, "SELECT COUNT(*) FROM Regions"));
            Assert.Equal(0L, await ScalarAsync(database, "SELECT COUNT(*) FROM Events"));
            Assert.True(await ScalarAsync(database, "SELECT COUNT(*) FROM __EFMigrationsHistory") > 10);

            // The site then starts on it, without being allowed to create anything.
            using var app = await AppProcess.StartAsync(settings);
            Assert.Equal(HttpStatusCode.OK, await ReadyAsync(app));
            await app.StopAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ProductionStartOnAnEmptyFile_StopsAndLeavesTheFileAlone()
    {
        var folder = NewFolder();
        var database = Path.Combine(folder, "data", "lprevents.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await File.WriteAllBytesAsync(database, [], TestContext.Current.CancellationToken);
        var settings = AppProcess.ProductionSettings(folder);
        settings["Database__CreateIfMissing"] = null;
        settings["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        try
        {
            var (exitCode, log) = await WebProject.RunAsync(settings);

            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(log.Split('\n'), l => l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));
            Assert.Contains($"The SQLite database file {database} holds no LprEvents database", line, StringComparison.Ordinal);
            Assert.Equal(0, new FileInfo(database).Length);
            Assert.False(File.Exists(database + "-wal"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, SqliteOpenMode.ReadWrite)]
    [InlineData("Data Source=data/lprevents.db", SqliteOpenMode.ReadWrite)]
    [InlineData("Data Source=data/lprevents.db;Mode=ReadOnly", SqliteOpenMode.ReadOnly)]
    [InlineData("Data Source=data/lprevents.db;Mode=ReadWriteCreate", SqliteOpenMode.ReadWriteCreate)]
    public void ConnectionString_OpensAnExistingFileOnly_UnlessTheOperatorSetsAMode_AndCreatesNoFolder(string? configured, SqliteOpenMode mode)
    {
        var root = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));

        var resolved = new SqliteConnectionStringBuilder(LprEvents.Web.Configuration.DatabaseSetup.ResolveSqliteConnectionString(configured, root));

        Assert.Equal(mode, resolved.Mode);
        Assert.True(Path.IsPathRooted(resolved.DataSource));
        Assert.StartsWith(root, resolved.DataSource, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root), "resolving the connection string must not create the folder");
    }

    private static async Task<int> ParticipantsAsync(LprWebFactory factory, string email)
    {
        await using var scope = factory.CreateDbScope();
        return await scope.Db.Participants.CountAsync(p => p.Email == email, TestContext.Current.CancellationToken);
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task<HttpStatusCode> ReadyAsync(AppProcess app)
    {
        using var client = app.Client();
        client.Timeout = TimeSpan.FromSeconds(10);
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>How long until <c>/health/ready</c> answers <paramref name="status"/>; fails after <paramref name="limit"/> and a margin.</summary>
    private static async Task<TimeSpan> WaitForReadyAsync(AppProcess app, HttpStatusCode status, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (await ReadyAsync(app) != status)
        {
            Assert.True(watch.Elapsed < limit * 2, $"/health/ready did not answer {(int)status} within {limit.TotalSeconds * 2} s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return watch.Elapsed;
    }

    /// <summary>The form page with a filled-in form ready to send (cookie in the client).</summary>
    private static async Task<Dictionary<string, string>> FormAsync(HttpClient client, string slug, string email)
    {
        var (response, page) = await client.GetPageAsync($"/veranstaltungen/{slug}/anmeldung");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Filled(page, email);
    }

    private static Dictionary<string, string> Filled(AngleSharp.Dom.IDocument page, string email)
    {
        var values = new Dictionary<string, string>(RegistrationDriver.ValidFields(email, "Wilhelmine"))
        {
            ["__RequestVerificationToken"] = RegistrationDriver.AntiforgeryToken(page),
        };
        if (page.QuerySelectorAll("#RegionId option").Skip(1).FirstOrDefault()?.GetAttribute("value") is { Length: > 0 } region)
        {
            values["RegionId"] = region;
        }

        foreach (var radio in page.QuerySelectorAll("input[type=radio][name^='Sessions[']").GroupBy(r => r.GetAttribute("name")!))
        {
            values.TryAdd(radio.Key, radio.First().GetAttribute("value")!);
        }

        return values;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string slug, Dictionary<string, string> form) =>
        client.PostAsync(new Uri($"/veranstaltungen/{slug}/anmeldung", UriKind.Relative), new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);

    /// <summary>Form page and form, as a browser does; the status of the step that failed, or 302 for the success page.</summary>
    private static async Task<HttpStatusCode> TryRegisterAsync(HttpClient client, string slug, string email)
    {
        var (form, page) = await client.GetPageAsync($"/veranstaltungen/{slug}/anmeldung");
        if (form.StatusCode != HttpStatusCode.OK)
        {
            return form.StatusCode;
        }

        using var response = await PostAsync(client, slug, Filled(page, email));
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.EndsWith("/anmeldung/eingegangen", StringComparison.Ordinal) != true
            ? HttpStatusCode.InternalServerError
            : response.StatusCode;
    }

    /// <summary>The friendly German 503: the registration form again, or the page "nicht erreichbar"; Retry-After either way.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var text = page.BodyText();
        Assert.True(
            text.Contains("Die Seite ist gerade nicht erreichbar", StringComparison.Ordinal) || text.Contains("Die Anmeldung ist gerade überlastet", StringComparison.Ordinal),
            "not the German 503 page: " + text[..Math.Min(300, text.Length)]);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    private static async Task SwallowAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<List<string>> EmailsAsync(string database, string like)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Email FROM Participants WHERE Email LIKE $like";
        command.Parameters.AddWithValue("$like", like);
        var emails = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            emails.Add(reader.GetString(0));
        }

        return emails;
    }
}
