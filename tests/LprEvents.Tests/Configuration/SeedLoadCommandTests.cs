using System.Text.RegularExpressions;
using LprEvents.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// The load-test data tool, run as a process the way bench/run.sh runs it: realistic German content, resumable
/// (a second run with the same totals adds nothing, larger totals add the difference), and never by accident
/// against a Production database.
/// </summary>
public sealed partial class SeedLoadCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(_folder, "lprevents.db");

    public SeedLoadCommandTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task SeedLoad_FillsRealisticGermanContent_AndIsResumable()
    {
        var (exitCode, output) = await SeedLoadAsync("--articles", "50", "--events", "5", "--participants", "100", "--yes");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Beiträge 50/50 [##############################] 100 %", output, StringComparison.Ordinal);
        Assert.Equal((50L, 5L, 100L), await CountsAsync());
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM Articles WHERE Slug NOT LIKE 'lasttest-beitrag-0000__'"));
        Assert.Equal(50L, await ScalarAsync("SELECT COUNT(*) FROM Articles WHERE Status = 'Published' AND length(Body) > 800 AND Body LIKE '%## %'"));
        Assert.True(await ScalarAsync("SELECT COUNT(*) FROM Articles WHERE Title LIKE '%ä%' OR Title LIKE '%ö%' OR Title LIKE '%ü%' OR Body LIKE '%ß%'") > 0, "no umlauts");
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM Articles WHERE lower(Body) LIKE '%lorem%' OR lower(Body) LIKE '%ipsum%'"));
        Assert.True(await ScalarAsync("SELECT COUNT(DISTINCT Date) FROM Articles") > 40, "dates are spread");
        Assert.True(await ScalarAsync("SELECT COUNT(*) FROM Articles WHERE Date < date('now', '-10 years')") > 0, "no article older than ten years");
        Assert.Equal(50L, await ScalarAsync("SELECT COUNT(DISTINCT ArticlesId) FROM ArticleRegions"));
        Assert.True(await ScalarAsync("SELECT COUNT(*) FROM Sessions") >= 5 * 6, "events have programs");
        Assert.True(await ScalarAsync("SELECT COUNT(*) FROM Participants WHERE Status = 'Cancelled'") > 0, "no cancelled participant");
        Assert.True(await ScalarAsync("SELECT COUNT(*) FROM Participants WHERE Status IN ('Confirmed', 'Attended')") > 0, "no participant with a seat");
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM Participants WHERE Email <> '' AND Email NOT LIKE '%@example.org'"));
        Assert.Equal(13L, await ScalarAsync("SELECT COUNT(*) FROM Regions"));

        (exitCode, output) = await SeedLoadAsync("--articles", "50", "--events", "5", "--participants", "100", "--yes");

        Assert.True(exitCode == 0, output);
        Assert.Contains("added 0 articles, 0 events, 0 participants", output, StringComparison.Ordinal);
        Assert.Equal((50L, 5L, 100L), await CountsAsync());

        (exitCode, output) = await SeedLoadAsync("--articles", "80", "--events", "8", "--participants", "150", "--yes");

        Assert.True(exitCode == 0, output);
        Assert.Contains("added 30 articles, 3 events, 50 participants", output, StringComparison.Ordinal);
        Assert.Equal((80L, 8L, 150L), await CountsAsync());
        Assert.Equal(80L, await ScalarAsync("SELECT COUNT(DISTINCT Slug) FROM Articles"));
    }

    [Fact]
    public async Task SeedLoad_InProductionWithoutYes_RefusesAndWritesNothing()
    {
        var (exitCode, output) = await SeedLoadAsync("--articles", "5", "--events", "1", "--participants", "3");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("add --yes", output, StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 0L), await CountsAsync());
    }

    [Fact]
    public async Task SeedLoad_WithANonNumber_SaysHowToUseIt()
    {
        var (exitCode, output) = await SeedLoadAsync("--articles", "viele", "--yes");

        Assert.Equal(2, exitCode);
        Assert.Matches(UsageLine(), output);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<(int ExitCode, string Output)> SeedLoadAsync(params string[] options) =>
        WebProject.RunAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__Default"] = $"Data Source={Database}",
                ["Database__CreateIfMissing"] = "true",
                ["Serilog__WriteTo__1__Args__configure__0__Args__path"] = Path.Combine(_folder, "logs", "log-.log"),
                ["Media__RootPath"] = Path.Combine(_folder, "media"),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Site__PublicBaseUrl"] = LprWebFactory.DefaultPublicBaseUrl,
                ["Seed__Demo"] = null,
            },
            ["seed-load", .. options]);

    private async Task<(long Articles, long Events, long Participants)> CountsAsync() =>
        (await ScalarAsync("SELECT COUNT(*) FROM Articles"), await ScalarAsync("SELECT COUNT(*) FROM Events"), await ScalarAsync("SELECT COUNT(*) FROM Participants"));

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [GeneratedRegex(@"Usage: seed-load \[--articles N\]")]
    private static partial Regex UsageLine();
}
