using LprEvents.Web.Configuration;
using LprEvents.Web.Data;
using LprEvents.Web.Services.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LprEvents.Tests.Data;

/// <summary>
/// On SQL Server a web request answers 503 within <see cref="DatabaseAvailability.AnswerWithin"/> when the server is
/// unreachable or a lock is held (ADR 0027): short connect and command timeouts unless the operator sets them, and
/// retries of transient faults only while they fit the budget. No server is needed: the configuration the app builds
/// and the execution strategy's decisions are checked.
/// </summary>
public sealed class SqlServerTimeoutTests
{
    private const string Configured = "Server=db.lpr.test;Database=LprEvents;Trusted_Connection=True;TrustServerCertificate=True";

    [Fact]
    public void DuringAWebRequest_OnSqlServer_WaitsSecondsNotHalfAMinute()
    {
        using var services = SqlServerApp();
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();

        var connection = new SqlConnectionStringBuilder(db.Database.GetConnectionString());
        Assert.Equal(3, connection.ConnectTimeout);
        Assert.Equal("db.lpr.test", connection.DataSource);
        Assert.Equal(4, db.Database.GetCommandTimeout());
        Assert.IsType<BoundedSqlServerRetries>(db.Database.CreateExecutionStrategy());
    }

    [Fact]
    public void WithoutARequest_StartUpJobsAndCommands_MayTakeTheirTime()
    {
        using var services = SqlServerApp();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();

        Assert.Equal(DatabaseOptions.BackgroundCommandTimeoutSeconds, db.Database.GetCommandTimeout());
        var strategy = db.Database.CreateExecutionStrategy();
        Assert.True(strategy.RetriesOnFailure);
        Assert.IsNotType<BoundedSqlServerRetries>(strategy);
    }

    [Fact]
    public void OperatorsCommandTimeout_AppliesEverywhere()
    {
        using var services = SqlServerApp(("ConnectionStrings:Default", Configured + ";Command Timeout=60"));
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LprEventsDbContext>();

        Assert.Null(db.Database.GetCommandTimeout());
        Assert.Equal(60, new SqlConnectionStringBuilder(db.Database.GetConnectionString()).CommandTimeout);
    }

    [Theory]
    [InlineData("Connect Timeout=30", 3, 30)]
    [InlineData("Connection Timeout=20", 3, 20)]
    [InlineData("Timeout=25", 3, 25)]
    [InlineData("", 3, 3)]
    [InlineData("", -1, 15)] // out of range: left to SqlClient; the options validation stops the start
    public void OperatorsConnectTimeout_IsKept(string extra, int setting, int expected)
    {
        var connectionString = DatabaseSetup.WithSqlServerConnectTimeout($"{Configured};{extra}", setting);

        var parsed = new SqlConnectionStringBuilder(connectionString);
        Assert.Equal(expected, parsed.ConnectTimeout);
        Assert.Equal("LprEvents", parsed.InitialCatalog);
    }

    [Fact]
    public async Task QuickFaults_AreRetriedThreeTimes_WhenTheLastRetryStillEndsWithinTheBudget()
    {
        // Attempts of 0.1 s under a 4 s budget: retried at once (ends 0.2 s), after ~1 s (ends ~1.3 s), after 2 s
        // (ends ~3.4 s). The delay before an attempt is not part of its length: counted in, the third retry would
        // seem to end at about 4.5 s and be refused.
        await using var db = SqlServerContext(TimeSpan.FromSeconds(4));
        var attempts = 0;
        Func<CancellationToken, Task> quicklyFailing = async ct =>
        {
            attempts++;
            await Task.Delay(100, ct);
            throw new TimeoutException("deadlock victim (test)");
        };

        await Assert.ThrowsAsync<RetryLimitExceededException>(() =>
            db.Database.CreateExecutionStrategy().ExecuteAsync(quicklyFailing, TestContext.Current.CancellationToken));

        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task ServerGone_RetriesStopWithinTheBudget_AndTheRequestGets503()
    {
        // Each attempt fails at once with a transient fault; EF retries at once, then after about 1 s; the third retry
        // would come 2 s later, past a 1.6 s budget. Without the budget EF makes a fourth attempt; with attempts that
        // each wait a connect timeout (SqlClient's default 15 s) that was a minute.
        var budget = TimeSpan.FromSeconds(1.6);
        await using var db = SqlServerContext(budget);
        var attempts = 0;

        Func<CancellationToken, Task> unreachable = _ =>
        {
            attempts++;
            return Task.FromException(new TimeoutException("server not reachable (test)"));
        };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            db.Database.CreateExecutionStrategy().ExecuteAsync(unreachable, TestContext.Current.CancellationToken));

        Assert.Equal(3, attempts);
        Assert.IsType<RetryLimitExceededException>(failure);
        Assert.True(DatabaseAvailability.IsUnavailable(failure));
    }

    [Theory]
    [InlineData(1.5, 1.0, 1.5, true)]   // an attempt that failed after 1.5 s, retried after 1 s: ends at 4 s
    [InlineData(3.0, 1.0, 3.0, false)]  // an attempt that waited its 3 s connect timeout is not repeated
    [InlineData(1.2, 2.0, 0.1, true)]   // quick failures (refused, deadlock victim) are retried
    [InlineData(3.3, 2.0, 0.1, false)]
    public void RetryFits_OnlyWhenItsAnswerComesWithinFiveSeconds(double elapsed, double delay, double lastAttempt, bool fits) =>
        Assert.Equal(fits, BoundedSqlServerRetries.RetryFits(
            TimeSpan.FromSeconds(elapsed), TimeSpan.FromSeconds(delay), TimeSpan.FromSeconds(lastAttempt), DatabaseAvailability.AnswerWithin));

    [Fact]
    public void TimeoutOutOfRange_IsRefusedWithItsName()
    {
        using var services = SqlServerApp(("Database:SqlServerCommandTimeoutSeconds", "0"));

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value);
        Assert.Contains("Database:SqlServerCommandTimeoutSeconds must be between 1 and 3600.", refused.Message, StringComparison.Ordinal);
    }

    private static LprEventsDbContext SqlServerContext(TimeSpan budget) =>
        new(new DbContextOptionsBuilder<LprEventsDbContext>()
            .UseSqlServer(Configured, s => DatabaseSetup.ConfigureSqlServer(s, budget))
            .Options);

    private static ServiceProvider SqlServerApp(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["Database:Provider"] = "SqlServer";
        builder.Configuration["ConnectionStrings:Default"] = Configured;
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddHttpContextAccessor();
        builder.AddLprDatabase();
        builder.AddLprCaching();
        builder.Services.AddSingleton<OutboxSignal>();
        return builder.Services.BuildServiceProvider();
    }
}
