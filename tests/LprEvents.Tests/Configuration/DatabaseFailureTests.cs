using System.Diagnostics;
using System.Net;
using LprEvents.Tests.Support;
using LprEvents.Web.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// A locked or unreachable database: a German 503 page with Retry-After within seconds (not a 500 after 30 s),
/// <c>/health/ready</c> 503 within 2 s, nothing half-written, and the same request succeeds once it is back.
/// </summary>
public sealed class DatabaseFailureTests
{
    private static readonly TimeSpan PageDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task WhileAnotherConnectionHoldsTheWriteLock_WritesAnswer503WithTheTypedValues_AndSucceedAfterwards()
    {
        using var factory = new LprWebFactory();
        var driver = new RegistrationDriver(factory);
        var e = await driver.AddEventAsync("test-gesperrt", capacity: 10, waitingList: false);
        // One registration waits for its confirmation, which needs a write too.
        Assert.Equal(HttpStatusCode.Redirect, (await driver.SubmitAsync(e.Slug, RegistrationDriver.ValidFields("erste@example.org"))).StatusCode);
        await driver.DeliverMailAsync();
        var privatePath = Mailbox.PrivatePath(Mailbox.To(factory.MailFolder, "erste@example.org").Single());
        var fields = RegistrationDriver.ValidFields("gesperrt@example.org", firstName: "Wilhelmine");

        HttpResponseMessage registration, confirmation;
        TimeSpan registrationTime, confirmationTime;
        await using (await HoldLockAsync(factory.DatabasePath, "BEGIN EXCLUSIVE;"))
        {
            (registration, registrationTime) = await TimedAsync(() => driver.SubmitAsync(e.Slug, fields));
            (confirmation, confirmationTime) = await TimedAsync(() => driver.PostPrivateAsync(privatePath, "bestaetigen"));
            Assert.Equal(0, await CountAsync(factory, "gesperrt@example.org"));
            // Readers are not held up by a writer (write-ahead log): the event page still shows.
            Assert.Equal(HttpStatusCode.OK, (await driver.Client.GetAsync(new Uri($"/veranstaltungen/{e.Slug}", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, registration.StatusCode);
        Assert.InRange(registrationTime, TimeSpan.Zero, PageDeadline);
        Assert.Equal("10", registration.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var form = Html.Parse(await registration.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Die Anmeldung ist gerade überlastet", form.Text(".error-summary h2"));
        Assert.Equal("Wilhelmine", form.QuerySelector("#FirstName")?.GetAttribute("value"));
        Assert.Equal("gesperrt@example.org", form.QuerySelector("#Email")?.GetAttribute("value"));
        Assert.Equal("Stadtverwaltung Freiberg", form.QuerySelector("#Organisation")?.GetAttribute("value"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, confirmation.StatusCode);
        Assert.InRange(confirmationTime, TimeSpan.Zero, PageDeadline);
        Assert.NotNull(confirmation.Headers.RetryAfter);
        var page = Html.Parse(await confirmation.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Die Seite ist gerade nicht erreichbar", page.Text("h1"));
        Assert.Contains("in einigen Sekunden noch einmal", page.BodyText(), StringComparison.Ordinal);
        Assert.Equal(ParticipantStatus.AwaitingConfirmation, (await driver.ParticipantAsync("erste@example.org")).Status);

        // The lock is gone: the same requests go through, once each.
        Assert.Equal(HttpStatusCode.Redirect, (await driver.SubmitAsync(e.Slug, fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await driver.PostPrivateAsync(privatePath, "bestaetigen")).StatusCode);
        Assert.Equal(1, await CountAsync(factory, "gesperrt@example.org"));
        Assert.Equal(ParticipantStatus.Confirmed, (await driver.ParticipantAsync("erste@example.org")).Status);
    }

    [Fact]
    public async Task WhenTheDatabaseGoesAway_ReadyIs503LiveStays200AndPagesShowTheGermanUnavailablePage()
    {
        using var factory = new LprWebFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        SqliteConnection.ClearAllPools();
        var dataFolder = Path.GetDirectoryName(factory.DatabasePath)!;
        Directory.Move(dataFolder, dataFolder + "-weg");
        try
        {
            var (ready, readyTime) = await TimedAsync(() => client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken));
            var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
            var (home, homeTime) = await TimedAsync(() => client.GetAsync(new Uri("/aktuelles", UriKind.Relative), TestContext.Current.CancellationToken));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.InRange(readyTime, TimeSpan.Zero, ReadyDeadline);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            await AssertUnavailablePageAsync(home, homeTime);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Move(dataFolder + "-weg", dataFolder);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/aktuelles", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Startup_WithAnUnreachableDatabase_LogsOneClearErrorAndExitsNonZero()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var blocker = Path.Combine(folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the database folder should be", TestContext.Current.CancellationToken);

        var (exitCode, log) = await WebProject.RunAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(blocker, "lprevents.db")}",
            // Asked to create it, so that the start gets as far as trying (a missing file alone stops it earlier: DatabaseFileTests).
            ["Database__CreateIfMissing"] = "true",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Site__PublicBaseUrl"] = LprWebFactory.DefaultPublicBaseUrl,
            ["Serilog__WriteTo__1__Args__configure__0__Args__path"] = Path.Combine(folder, "logs", "lprevents-.log"),
            ["Media__RootPath"] = Path.Combine(folder, "media"),
        });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Cannot reach or migrate the Sqlite database", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", log, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    private static async Task AssertUnavailablePageAsync(HttpResponseMessage response, TimeSpan elapsed)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.InRange(elapsed, TimeSpan.Zero, PageDeadline);
        Assert.NotNull(response.Headers.RetryAfter);
        var page = Html.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Die Seite ist gerade nicht erreichbar", page.Text("h1"));
        Assert.DoesNotContain("Exception", page.BodyText(), StringComparison.Ordinal);
    }

    private static async Task<(T Result, TimeSpan Elapsed)> TimedAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var result = await action();
        return (result, watch.Elapsed);
    }

    private static async Task<int> CountAsync(LprWebFactory factory, string email)
    {
        await using var scope = factory.CreateDbScope();
        return await scope.Db.Participants.CountAsync(p => p.Email == email, TestContext.Current.CancellationToken);
    }

    /// <summary>A second connection (as another process would have, e.g. a backup or a long admin script) that holds its lock until disposed.</summary>
    private static async Task<SqliteConnection> HoldLockAsync(string databasePath, string sql)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }
}
