using LprEvents.Tests.Support;
using LprEvents.Web.Configuration;
using LprEvents.Web.Services;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Configuration;

/// <summary>
/// Demo content appears only where someone asked for it (in Development, or with <c>Seed:Demo</c> set), and only in a
/// database without content of its own.
/// </summary>
public sealed class DemoSeedingTests
{
    private static LprWebFactory Factory(string environment, bool? seedDemo)
    {
        var factory = new LprWebFactory { EnvironmentName = environment, SeedDemo = seedDemo };
        factory.ExtraSettings["Site:PublicBaseUrl"] = "https://veranstaltungen.example";
        return factory;
    }

    private static async Task<(int Events, int Articles, int Regions, int Users)> CountAsync(LprWebFactory factory)
    {
        await using var scope = factory.CreateDbScope();
        var ct = TestContext.Current.CancellationToken;
        return (await scope.Db.Events.CountAsync(ct), await scope.Db.Articles.CountAsync(ct), await scope.Db.Regions.CountAsync(ct), await scope.Db.Users.CountAsync(ct));
    }

    [Fact]
    public async Task ProductionStart_OnAnEmptySqliteDatabase_HasRegionsButNoDemoContent()
    {
        using var factory = Factory("Production", seedDemo: null);

        var (events, articles, regions, users) = await CountAsync(factory);

        Assert.Equal((0, 0, 13, 0), (events, articles, regions, users));
        var (_, page) = await factory.CreateClient().GetPageAsync("/aktuelles");
        Assert.Empty(page.QuerySelectorAll(".card__title"));
    }

    [Fact]
    public async Task ProductionStart_WithSeedDemoSetExplicitly_SeedsDemoContent()
    {
        using var factory = Factory("Production", seedDemo: true);

        var (events, articles, _, _) = await CountAsync(factory);

        Assert.True(events > 0, "no demo events");
        Assert.True(articles > 0, "no demo articles");
    }

    /// <summary>
    /// <c>Seed:Demo=true</c> left in a production environment file: a database that holds real data (here the first
    /// administrator, made after init, before the first event) gets no invented events (ADR 0028).
    /// </summary>
    [Fact]
    public async Task ProductionStart_WithSeedDemo_OnADatabaseThatHoldsRealData_AddsNoDemoContent()
    {
        using var installed = Factory("Production", seedDemo: false);
        await using (var scope = installed.Services.CreateAsyncScope())
        {
            var (password, _) = await scope.ServiceProvider.GetRequiredService<AdminAccounts>().CreateAsync("chefin@lpr.example", IdentitySetup.AdminRole, "Chefin");
            Assert.NotNull(password);
        }

        using var restarted = new LprWebFactory { EnvironmentName = "Production", SeedDemo = true, SharedDatabasePath = installed.DatabasePath };
        restarted.ExtraSettings["Site:PublicBaseUrl"] = "https://veranstaltungen.example";

        var (events, articles, regions, users) = await CountAsync(restarted);

        Assert.Equal((0, 0, 13, 1), (events, articles, regions, users));
        await using var check = restarted.CreateDbScope();
        Assert.Equal(0, await check.Db.MediaAssets.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DevelopmentStart_SeedsDemoContentByDefault_AndNotWhenSwitchedOff()
    {
        using (var development = Factory("Development", seedDemo: null))
        {
            var (events, articles, _, _) = await CountAsync(development);
            Assert.True(events > 0 && articles > 0, "Development seeds demo content by default");
        }

        using var switchedOff = Factory("Development", seedDemo: false);
        var (noEvents, noArticles, _, noUsers) = await CountAsync(switchedOff);
        Assert.Equal((0, 0, 0), (noEvents, noArticles, noUsers));
    }

    /// <summary>An operator creating the first account must not find the public site full of invented events.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("true")]
    public async Task CreateAdminCommand_InDevelopment_LeavesNoDemoContent(string? seedDemo)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lprevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "lprevents.db");
        var (exitCode, output) = await WebProject.RunAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__Default"] = $"Data Source={database}",
                ["Serilog__WriteTo__1__Args__configure__0__Args__path"] = Path.Combine(folder, "logs", "log-.log"),
                ["Media__RootPath"] = Path.Combine(folder, "media"),
                ["Site__PublicBaseUrl"] = "https://veranstaltungen.example",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Seed__Demo"] = seedDemo,
            },
            "create-admin",
            "chefin@lpr.example");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("Development admin", output, StringComparison.Ordinal);
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM Events"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM Articles"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM MediaAssets"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM AspNetUsers"));
        await connection.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
