using System.Diagnostics;
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
        var webOutput = WebProject.OutputFolder();
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var blocker = Path.Combine(folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the database folder should be", TestContext.Current.CancellationToken);

        var start = new ProcessStartInfo("dotnet", [Path.Combine(webOutput, "LprEvents.Web.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = webOutput,
        };
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Path.Combine(blocker, "lprevents.db")}";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Site__PublicBaseUrl"] = LprWebFactory.DefaultPublicBaseUrl;
        start.Environment["Serilog__WriteTo__1__Args__path"] = Path.Combine(folder, "logs", "lprevents-.log");
        start.Environment["Media__RootPath"] = Path.Combine(folder, "media");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var log = await output + await errors;
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Cannot reach or migrate the Sqlite database", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", log, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}
