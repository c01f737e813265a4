using System.Net;
using LprEvents.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LprEvents.Tests.Configuration;

public sealed class DatabaseFailureTests
{
    [Fact]
    public async Task WhenTheDatabaseGoesAway_ReadyIs503LiveStays200AndPagesShowTheGermanErrorPage()
    {
        using var factory = new LprWebFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        SqliteConnection.ClearAllPools();
        var dataFolder = Path.GetDirectoryName(factory.DatabasePath)!;
        Directory.Move(dataFolder, dataFolder + "-weg");
        try
        {
            var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
            var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
            var (home, page) = await client.GetPageAsync("/aktuelles");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.InternalServerError, home.StatusCode);
            Assert.Equal("Ein Fehler ist aufgetreten", page.Text("h1"));
            Assert.DoesNotContain("Exception", page.BodyText(), StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Move(dataFolder + "-weg", dataFolder);
        }
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
}
