using LprEvents.Tests.Support;

namespace LprEvents.Tests.Configuration;

/// <summary>A setting out of its range stops a production start with one critical line naming it, and creates nothing.</summary>
public sealed class InvalidSettingsTests
{
    [Theory]
    [InlineData("Database__SqliteBusyTimeoutSeconds=0", "Database:SqliteBusyTimeoutSeconds must be between 1 and 60.")]
    [InlineData("Database__SqlServerCommandTimeoutSeconds=-1", "Database:SqlServerCommandTimeoutSeconds must be between 1 and 3600.")]
    // On SQL Server the timeouts go into the connection string, which refuses negative values by itself.
    [InlineData("Database__Provider=SqlServer ConnectionStrings__Default=Server=127.0.0.1,9;Database=LprEvents;TrustServerCertificate=True Database__SqlServerConnectTimeoutSeconds=-1",
        "Database:SqlServerConnectTimeoutSeconds must be between 1 and 120.")]
    // A section validated when the host starts, and two at once.
    [InlineData("Email__Smtp__CommandTimeoutSeconds=0", "Email:Smtp:CommandTimeoutSeconds (1-600) is out of range.")]
    [InlineData("Email__Smtp__CommandTimeoutSeconds=0 Caching__PublicPageSeconds=0", "Caching:PublicPageSeconds must be between 1 and 3600.")]
    public async Task SettingOutOfRange_StopsTheStart_WithOneLineAndNoStackTrace(string assignments, string message)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = AppProcess.ProductionSettings(folder);
        settings["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var assignment in assignments.Split(' '))
        {
            settings[assignment[..assignment.IndexOf('=', StringComparison.Ordinal)]] = assignment[(assignment.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        try
        {
            var (exitCode, log) = await WebProject.RunAsync(settings);

            Assert.Equal(1, exitCode);
            var line = Assert.Single(log.Split('\n'), l => l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));
            Assert.Contains("Invalid settings: ", line, StringComparison.Ordinal);
            Assert.Contains(message, line, StringComparison.Ordinal);
            if (assignments.Contains("Email__", StringComparison.Ordinal))
            {
                Assert.Contains("Email:Smtp:CommandTimeoutSeconds (1-600) is out of range.", line, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
            Assert.DoesNotContain("OptionsValidationException", log, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "data", "lprevents.db")), "an invalid start must not create the database");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
