using LprEvents.Tests.Support;

namespace LprEvents.Tests.Configuration;

/// <summary>A setting out of its range stops a production start with one critical line naming it, and creates nothing.</summary>
public sealed class InvalidSettingsTests
{
    [Theory]
    [InlineData("Database__SqliteBusyTimeoutSeconds", "0", "Database:SqliteBusyTimeoutSeconds must be between 1 and 60.")]
    [InlineData("Database__SqlServerCommandTimeoutSeconds", "-1", "Database:SqlServerCommandTimeoutSeconds must be between 1 and 3600.")]
    public async Task SettingOutOfRange_StopsTheStart_WithOneLineAndNoStackTrace(string key, string value, string message)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = AppProcess.ProductionSettings(folder);
        settings["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        settings[key] = value;
        try
        {
            var (exitCode, log) = await WebProject.RunAsync(settings);

            Assert.Equal(1, exitCode);
            var line = Assert.Single(log.Split('\n'), l => l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));
            Assert.Contains($"Invalid settings: {message}", line, StringComparison.Ordinal);
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
